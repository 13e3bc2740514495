-- Schema version 4: who has paid. Each payment an order received (from a WeChat Pay or Alipay
-- bill, or marked by hand) is a row; an order is paid once its payments cover its amount.
-- Orders already marked paid by hand keep that: each gets one payment of its whole amount
-- (method 'other', marked by hand), so the rule holds for them from the start.
CREATE TABLE payment (
	id INTEGER NOT NULL,
	order_id INTEGER NOT NULL,
	amount_cents INTEGER NOT NULL,
	method VARCHAR NOT NULL,
	source VARCHAR NOT NULL,
	paid_at VARCHAR(32) NOT NULL,
	trade_no VARCHAR,
	part_of INTEGER,
	payer VARCHAR NOT NULL,
	note VARCHAR NOT NULL,
	created_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT ck_payment_amount CHECK (amount_cents > 0),
	FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE,
	FOREIGN KEY(part_of) REFERENCES payment (id) ON DELETE CASCADE
);
CREATE INDEX ix_payment_order_id ON payment (order_id);
CREATE INDEX ix_payment_part_of ON payment (part_of);
CREATE UNIQUE INDEX ix_payment_trade_no ON payment (trade_no);
INSERT INTO payment (order_id, amount_cents, method, source, paid_at, trade_no, part_of, payer, note, created_at)
SELECT o.id, SUM(l.qty * l.unit_price_cents), 'other', 'manual', o.updated_at, NULL, NULL, '', '', o.updated_at
FROM orders o JOIN orderline l ON l.order_id = o.id
WHERE o.paid
GROUP BY o.id, o.updated_at
HAVING SUM(l.qty * l.unit_price_cents) > 0;
