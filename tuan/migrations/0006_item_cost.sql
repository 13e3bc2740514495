-- Schema version 6: what each chain item costs the leader (成本价), to show gross profit and
-- margin. Optional: items saved before keep no cost (NULL), and the figures say how much of the
-- GMV has no cost entered.
ALTER TABLE chainitem ADD COLUMN cost_cents INTEGER CONSTRAINT ck_item_cost CHECK (cost_cents IS NULL OR cost_cents >= 0);
