-- Schema version 7: refunds and after-sales (退款/售后). A refund takes pieces and/or money off
-- one order line; refunded pieces are not handed out, refunded money comes off GMV and what the
-- member owes. Orders made before have no refunds.
CREATE TABLE refund (
	id INTEGER NOT NULL,
	order_id INTEGER NOT NULL,
	line_id INTEGER NOT NULL,
	qty INTEGER NOT NULL,
	amount_cents INTEGER NOT NULL,
	reason VARCHAR NOT NULL,
	refunded_on DATE NOT NULL,
	note VARCHAR NOT NULL,
	created_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT ck_refund_amount CHECK (qty >= 0 AND amount_cents >= 0 AND (qty > 0 OR amount_cents > 0)),
	FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE,
	FOREIGN KEY(line_id) REFERENCES orderline (id) ON DELETE CASCADE
);
CREATE INDEX ix_refund_order_id ON refund (order_id);
CREATE INDEX ix_refund_line_id ON refund (line_id);
