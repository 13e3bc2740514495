-- Schema version 5: a product imported from a chain text that gave no price keeps its price
-- unknown (price_known false, price_cents 0 until the leader sets it). Every existing product
-- has its price: nothing the leader sees changes.
ALTER TABLE chainitem ADD COLUMN price_known BOOLEAN NOT NULL DEFAULT TRUE;
