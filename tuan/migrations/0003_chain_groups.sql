-- Schema version 3: one chain posted in several WeChat groups, each group's copy numbered on its
-- own. Existing orders stay in the chain's first group ('', numbered by seq): nothing the leader
-- sees changes.
ALTER TABLE orders ADD COLUMN group_name VARCHAR NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN group_seq INTEGER;
CREATE UNIQUE INDEX uq_order_group_seq ON orders (chain_id, group_name, group_seq);
ALTER TABLE chain ADD COLUMN last_group VARCHAR NOT NULL DEFAULT '';
