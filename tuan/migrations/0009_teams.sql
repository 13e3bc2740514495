-- Schema version 9: 拼团 (team buy). A chain item may be a team item: `team_size` people make a
-- team, whose members pay `team_price_cents`. Teams and who is in each are their own tables.
-- Items saved before are not team items (NULL), so nothing changes for them.
ALTER TABLE chainitem ADD COLUMN team_size INTEGER CONSTRAINT ck_item_team_size CHECK (team_size IS NULL OR team_size >= 2);
ALTER TABLE chainitem ADD COLUMN team_price_cents INTEGER CONSTRAINT ck_item_team_price CHECK (team_price_cents IS NULL OR team_price_cents > 0);
CREATE TABLE team (
	id INTEGER NOT NULL,
	chain_id INTEGER NOT NULL,
	item_id INTEGER NOT NULL,
	leader_id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	status VARCHAR NOT NULL,
	created_at VARCHAR(32) NOT NULL,
	formed_at VARCHAR(32),
	settled_at VARCHAR(32),
	PRIMARY KEY (id),
	FOREIGN KEY(chain_id) REFERENCES chain (id) ON DELETE CASCADE,
	FOREIGN KEY(item_id) REFERENCES chainitem (id) ON DELETE CASCADE,
	FOREIGN KEY(leader_id) REFERENCES member (id)
);
CREATE INDEX ix_team_chain_id ON team (chain_id);
CREATE INDEX ix_team_item_id ON team (item_id);
CREATE TABLE teammember (
	team_id INTEGER NOT NULL,
	order_id INTEGER NOT NULL,
	joined_at VARCHAR(32) NOT NULL,
	PRIMARY KEY (team_id, order_id),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE,
	FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE
);
CREATE INDEX ix_teammember_order_id ON teammember (order_id);
