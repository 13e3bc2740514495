-- Schema version 13: each order keeps the sum of its lines (quantity x unit price, before
-- refunds), kept by the database itself (triggers, in the dialect's own file beside this one) on
-- every write to a line, whoever makes it. The members list ranks every member by what they
-- spent: summing 1.3 million lines took 1.1 s on the xl demo; with the sums in an index on
-- (member, status, placed, cents) it reads that index alone (0.2 s).
ALTER TABLE orders ADD COLUMN lines_cents INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET lines_cents = COALESCE(
    (SELECT SUM(qty * unit_price_cents) FROM orderline WHERE orderline.order_id = orders.id), 0
);
CREATE INDEX ix_orders_member_figures ON orders (member_id, status, created_at, lines_cents);
