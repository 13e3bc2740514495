-- Schema version 12: every member's points balance is a sum over the points ledger (half a
-- million lines on a big database); with the amounts in the index, summing reads the index
-- alone instead of fetching each line (0.53 s to 0.09 s on 522,000 lines).
CREATE INDEX ix_pointsentry_member_delta ON pointsentry (member_id, delta);
