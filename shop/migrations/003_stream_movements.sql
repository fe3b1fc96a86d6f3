-- Stream the stock movements too: the warehouse builds fact_stock_movement and the daily
-- fact_product_stock snapshot from them. (A connector already streaming picks up changes to the
-- table from now on; rows written before it was added to the publication are not re-snapshotted.)
alter publication orderflow_shop add table stock_movements;
