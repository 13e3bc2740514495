-- Schema version 8: coupons (券) as a ledger. Each coupon a member holds is a row: its amount,
-- the minimum spend it needs (0: 无门槛), the days it is issued and good until, why and where
-- from (a referral reward, a wake-up coupon from the dormant rule, by hand). Redeeming it
-- against an order records the order and the time; the order then owes its lines less the
-- coupon. A rule-made coupon keeps the rule's key, so running the rules twice issues it once.
-- The default wake-up and referral messages name the coupon ({coupon}); a message the leader
-- changed is left as written.
CREATE TABLE coupon (
	id INTEGER NOT NULL,
	member_id INTEGER NOT NULL,
	amount_cents INTEGER NOT NULL,
	min_spend_cents INTEGER NOT NULL,
	issued_on DATE NOT NULL,
	expires_on DATE NOT NULL,
	reason VARCHAR NOT NULL,
	origin VARCHAR NOT NULL,
	rule_key VARCHAR,
	order_id INTEGER,
	redeemed_at VARCHAR(32),
	created_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT ck_coupon_amount CHECK (amount_cents > 0),
	CONSTRAINT ck_coupon_min CHECK (min_spend_cents >= 0),
	CONSTRAINT ck_coupon_dates CHECK (expires_on >= issued_on),
	FOREIGN KEY(member_id) REFERENCES member (id),
	FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE SET NULL
);
CREATE INDEX ix_coupon_member_id ON coupon (member_id);
CREATE INDEX ix_coupon_expires_on ON coupon (expires_on);
CREATE UNIQUE INDEX ix_coupon_rule_key ON coupon (rule_key);
CREATE UNIQUE INDEX ix_coupon_order_id ON coupon (order_id);
UPDATE reminderrule SET template = '{name}，{days}天没见啦～送您一张 {coupon}'
WHERE kind = 'dormant' AND template = '{name}，{days}天没见啦～送您一张 ¥10 无门槛唤醒券，本周团购可用';
UPDATE reminderrule SET template = '{name}，感谢您推荐{friend}入群！您和好友各得一张 {coupon}'
WHERE kind = 'referral' AND template = '{name}，感谢您推荐{friend}入群！您和好友各得一张 ¥50 无门槛券';
