-- Schema version 10: what the leader spends per acquisition channel and month (partner fees,
-- gifts for KOCs, livestream costs), so the dashboard can show the cost of each new member
-- (获客成本). Month is `YYYY-MM`; several rows for one channel and month add up.
CREATE TABLE channelspend (
	id INTEGER NOT NULL,
	channel VARCHAR NOT NULL,
	month VARCHAR(7) NOT NULL,
	amount_cents INTEGER NOT NULL,
	note VARCHAR NOT NULL,
	created_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT ck_spend_amount CHECK (amount_cents > 0)
);
CREATE INDEX ix_channelspend_month ON channelspend (month);
