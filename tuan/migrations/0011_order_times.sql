-- Schema version 11: the dashboard keeps closed months' figures (dashboard/closed.py) and reads
-- only the orders since: an index on when orders were placed makes "the orders of this month"
-- a range, and one on when they were last changed makes "was an older order changed since the
-- figures were stored" a range too, whatever the size of the database.
CREATE INDEX ix_orders_created_at ON orders (created_at);
CREATE INDEX ix_orders_updated_at ON orders (updated_at);
