-- Schema version 1: every table of the leader's database.
CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE partner (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	address VARCHAR NOT NULL, 
	contact VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	code VARCHAR NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_partner_code ON partner (code);
CREATE INDEX ix_partner_name ON partner (name);
CREATE TABLE pickuppoint (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	address VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE reminderrule (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	days INTEGER NOT NULL, 
	weekday INTEGER, 
	item_text VARCHAR NOT NULL, 
	template VARCHAR NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE tagrule (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	tag_name VARCHAR NOT NULL, 
	param_text VARCHAR NOT NULL, 
	days INTEGER NOT NULL, 
	min_spend_cents INTEGER NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE chain (
	id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	deadline VARCHAR(32), 
	pickup_point_id INTEGER, 
	pickup_start VARCHAR(32), 
	pickup_end VARCHAR(32), 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(pickup_point_id) REFERENCES pickuppoint (id)
);
CREATE INDEX ix_chain_status ON chain (status);
CREATE TABLE member (
	id INTEGER NOT NULL, 
	nickname VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	building VARCHAR NOT NULL, 
	room VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	initials VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	partner_id INTEGER, 
	referrer_id INTEGER, 
	is_koc BOOLEAN NOT NULL, 
	commission_bp INTEGER NOT NULL, 
	joined_on DATE NOT NULL, 
	notes VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_member_comm CHECK (commission_bp >= 0 AND commission_bp <= 10000), 
	FOREIGN KEY(partner_id) REFERENCES partner (id), 
	FOREIGN KEY(referrer_id) REFERENCES member (id)
);
CREATE INDEX ix_member_building_room ON member (building, room);
CREATE INDEX ix_member_initials ON member (initials);
CREATE INDEX ix_member_nickname ON member (nickname);
CREATE INDEX ix_member_partner_id ON member (partner_id);
CREATE INDEX ix_member_referrer_id ON member (referrer_id);
CREATE TABLE poster (
	id INTEGER NOT NULL, 
	partner_id INTEGER NOT NULL, 
	headline VARCHAR NOT NULL, 
	offer VARCHAR NOT NULL, 
	brand VARCHAR NOT NULL, 
	qr_payload VARCHAR NOT NULL, 
	qr_image_path VARCHAR NOT NULL, 
	qr_added_at VARCHAR(32), 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(partner_id) REFERENCES partner (id)
);
CREATE INDEX ix_poster_partner_id ON poster (partner_id);
CREATE TABLE tag (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	rule_id INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (name), 
	FOREIGN KEY(rule_id) REFERENCES tagrule (id)
);
CREATE TABLE chainitem (
	id INTEGER NOT NULL, 
	chain_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	spec VARCHAR NOT NULL, 
	price_cents INTEGER NOT NULL, 
	original_price_cents INTEGER, 
	limit_per_person INTEGER, 
	stock INTEGER, 
	aliases VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_item_price CHECK (price_cents >= 0), 
	CONSTRAINT ck_item_orig CHECK (original_price_cents IS NULL OR original_price_cents >= 0), 
	CONSTRAINT ck_item_limit CHECK (limit_per_person IS NULL OR limit_per_person > 0), 
	CONSTRAINT ck_item_stock CHECK (stock IS NULL OR stock >= 0), 
	FOREIGN KEY(chain_id) REFERENCES chain (id) ON DELETE CASCADE
);
CREATE INDEX ix_chainitem_chain_id ON chainitem (chain_id);
CREATE TABLE livestream (
	id INTEGER NOT NULL, 
	series VARCHAR NOT NULL, 
	episode INTEGER NOT NULL, 
	theme VARCHAR NOT NULL, 
	host VARCHAR NOT NULL, 
	scheduled_at VARCHAR(32), 
	status VARCHAR NOT NULL, 
	chain_id INTEGER, 
	started_at VARCHAR(32), 
	ended_at VARCHAR(32), 
	current_segment INTEGER NOT NULL, 
	viewers INTEGER NOT NULL, 
	peak_viewers INTEGER NOT NULL, 
	summary_json VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_live_viewers CHECK (peak_viewers >= 0 AND viewers >= 0), 
	FOREIGN KEY(chain_id) REFERENCES chain (id)
);
CREATE TABLE membertag (
	member_id INTEGER NOT NULL, 
	tag_id INTEGER NOT NULL, 
	PRIMARY KEY (member_id, tag_id), 
	FOREIGN KEY(member_id) REFERENCES member (id) ON DELETE CASCADE, 
	FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
);
CREATE INDEX ix_membertag_tag_id ON membertag (tag_id);
CREATE TABLE orders (
	id INTEGER NOT NULL, 
	chain_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	member_id INTEGER NOT NULL, 
	status VARCHAR NOT NULL, 
	paid BOOLEAN NOT NULL, 
	note VARCHAR NOT NULL, 
	leader_note VARCHAR NOT NULL, 
	raw VARCHAR NOT NULL, 
	channel VARCHAR NOT NULL, 
	livestream_id INTEGER, 
	created_at VARCHAR(32) NOT NULL, 
	updated_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_order_chain_seq UNIQUE (chain_id, seq), 
	CONSTRAINT ck_order_seq CHECK (seq > 0), 
	FOREIGN KEY(chain_id) REFERENCES chain (id) ON DELETE CASCADE, 
	FOREIGN KEY(member_id) REFERENCES member (id), 
	FOREIGN KEY(livestream_id) REFERENCES livestream (id)
);
CREATE INDEX ix_order_member ON orders (member_id);
CREATE INDEX ix_orders_chain_id ON orders (chain_id);
CREATE INDEX ix_orders_livestream_id ON orders (livestream_id);
CREATE TABLE segment (
	id INTEGER NOT NULL, 
	livestream_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	planned_minutes INTEGER NOT NULL, 
	talking_points VARCHAR NOT NULL, 
	item_id INTEGER, 
	started_at VARCHAR(32), 
	ended_at VARCHAR(32), 
	PRIMARY KEY (id), 
	CONSTRAINT ck_segment_minutes CHECK (planned_minutes >= 0), 
	FOREIGN KEY(livestream_id) REFERENCES livestream (id) ON DELETE CASCADE, 
	FOREIGN KEY(item_id) REFERENCES chainitem (id)
);
CREATE INDEX ix_segment_livestream_id ON segment (livestream_id);
CREATE TABLE flashsale (
	id INTEGER NOT NULL, 
	livestream_id INTEGER NOT NULL, 
	item_id INTEGER NOT NULL, 
	live_price_cents INTEGER NOT NULL, 
	start_minute INTEGER NOT NULL, 
	end_minute INTEGER, 
	segment_id INTEGER, 
	cap INTEGER, 
	gift_name VARCHAR NOT NULL, 
	gift_count INTEGER NOT NULL, 
	started_at VARCHAR(32), 
	stopped_at VARCHAR(32), 
	PRIMARY KEY (id), 
	CONSTRAINT ck_flash_price CHECK (live_price_cents >= 0), 
	CONSTRAINT ck_flash_cap CHECK (cap IS NULL OR cap > 0), 
	CONSTRAINT ck_flash_gift CHECK (gift_count >= 0), 
	CONSTRAINT ck_flash_start CHECK (start_minute >= 0), 
	FOREIGN KEY(livestream_id) REFERENCES livestream (id) ON DELETE CASCADE, 
	FOREIGN KEY(item_id) REFERENCES chainitem (id), 
	FOREIGN KEY(segment_id) REFERENCES segment (id)
);
CREATE INDEX ix_flashsale_livestream_id ON flashsale (livestream_id);
CREATE TABLE pointsentry (
	id INTEGER NOT NULL, 
	member_id INTEGER NOT NULL, 
	delta INTEGER NOT NULL, 
	reason VARCHAR NOT NULL, 
	order_id INTEGER, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(member_id) REFERENCES member (id), 
	FOREIGN KEY(order_id) REFERENCES orders (id)
);
CREATE INDEX ix_pointsentry_member_id ON pointsentry (member_id);
CREATE TABLE reminder (
	id INTEGER NOT NULL, 
	member_id INTEGER, 
	due_on DATE NOT NULL, 
	kind VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	message VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	rule_key VARCHAR, 
	order_id INTEGER, 
	created_at VARCHAR(32) NOT NULL, 
	done_at VARCHAR(32), 
	PRIMARY KEY (id), 
	FOREIGN KEY(member_id) REFERENCES member (id), 
	UNIQUE (rule_key), 
	FOREIGN KEY(order_id) REFERENCES orders (id)
);
CREATE INDEX ix_reminder_due_on ON reminder (due_on);
CREATE INDEX ix_reminder_member_id ON reminder (member_id);
CREATE INDEX ix_reminder_status ON reminder (status);
CREATE TABLE orderline (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	item_id INTEGER NOT NULL, 
	qty INTEGER NOT NULL, 
	unit_price_cents INTEGER NOT NULL, 
	collected_qty INTEGER NOT NULL, 
	flash_sale_id INTEGER, 
	gift VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_line_qty CHECK (qty > 0), 
	CONSTRAINT ck_line_price CHECK (unit_price_cents >= 0), 
	CONSTRAINT ck_line_collected CHECK (collected_qty >= 0 AND collected_qty <= qty), 
	FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE, 
	FOREIGN KEY(item_id) REFERENCES chainitem (id), 
	FOREIGN KEY(flash_sale_id) REFERENCES flashsale (id)
);
CREATE INDEX ix_orderline_flash_sale_id ON orderline (flash_sale_id);
CREATE INDEX ix_orderline_item_id ON orderline (item_id);
CREATE INDEX ix_orderline_order_id ON orderline (order_id);
