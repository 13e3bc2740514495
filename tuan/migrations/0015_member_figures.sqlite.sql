-- Schema version 15 on SQLite: the triggers keeping `member_figures`. The frequent writes (a new
-- order, a line changing an order's gross, a points line) move the figures by what changed; the
-- rare ones (a cancel, an order moved or deleted, a refund) count the member's figures again
-- from the orders' index, a few rows.
CREATE TRIGGER member_figures_new_member AFTER INSERT ON member BEGIN
    INSERT INTO member_figures (member_id, order_count, spend_cents, first_order_at, last_order_at, points)
    VALUES (NEW.id, 0, 0, NULL, NULL, 0) ON CONFLICT (member_id) DO NOTHING;
END;
CREATE TRIGGER member_figures_order_insert AFTER INSERT ON orders WHEN NEW.status = 'active'
BEGIN
    UPDATE member_figures SET order_count = order_count + 1,
        spend_cents = spend_cents + NEW.lines_cents,
        first_order_at = CASE WHEN first_order_at IS NULL OR NEW.created_at < first_order_at
            THEN NEW.created_at ELSE first_order_at END,
        last_order_at = CASE WHEN last_order_at IS NULL OR NEW.created_at > last_order_at
            THEN NEW.created_at ELSE last_order_at END
    WHERE member_id = NEW.member_id;
END;
CREATE TRIGGER member_figures_order_gross AFTER UPDATE OF lines_cents ON orders
WHEN NEW.status = 'active' AND OLD.status = 'active' AND NEW.member_id = OLD.member_id
    AND NEW.created_at = OLD.created_at AND NEW.lines_cents <> OLD.lines_cents
BEGIN
    UPDATE member_figures SET spend_cents = spend_cents + NEW.lines_cents - OLD.lines_cents
    WHERE member_id = NEW.member_id;
END;
CREATE TRIGGER member_figures_order_moved AFTER UPDATE OF status, member_id, created_at ON orders
WHEN OLD.status IS NOT NEW.status OR OLD.member_id IS NOT NEW.member_id
    OR OLD.created_at IS NOT NEW.created_at
BEGIN
    UPDATE member_figures SET
        order_count = (SELECT COUNT(*) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'),
        spend_cents = COALESCE((SELECT SUM(o.lines_cents) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'), 0)
            - COALESCE((SELECT SUM(r.amount_cents) FROM refund r JOIN orders o ON o.id = r.order_id
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'), 0),
        first_order_at = (SELECT MIN(o.created_at) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'),
        last_order_at = (SELECT MAX(o.created_at) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active')
    WHERE member_id IN (OLD.member_id, NEW.member_id);
END;
CREATE TRIGGER member_figures_order_delete AFTER DELETE ON orders WHEN OLD.status = 'active'
BEGIN
    UPDATE member_figures SET
        order_count = (SELECT COUNT(*) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'),
        spend_cents = COALESCE((SELECT SUM(o.lines_cents) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'), 0)
            - COALESCE((SELECT SUM(r.amount_cents) FROM refund r JOIN orders o ON o.id = r.order_id
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'), 0),
        first_order_at = (SELECT MIN(o.created_at) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active'),
        last_order_at = (SELECT MAX(o.created_at) FROM orders o
            WHERE o.member_id = member_figures.member_id AND o.status = 'active')
    WHERE member_id = OLD.member_id;
END;
CREATE TRIGGER member_figures_refund_insert AFTER INSERT ON refund BEGIN
    UPDATE member_figures SET spend_cents = spend_cents - NEW.amount_cents
    WHERE member_id = (SELECT o.member_id FROM orders o
        WHERE o.id = NEW.order_id AND o.status = 'active');
END;
CREATE TRIGGER member_figures_refund_delete AFTER DELETE ON refund BEGIN
    UPDATE member_figures SET spend_cents = spend_cents + OLD.amount_cents
    WHERE member_id = (SELECT o.member_id FROM orders o
        WHERE o.id = OLD.order_id AND o.status = 'active');
END;
CREATE TRIGGER member_figures_refund_update AFTER UPDATE OF amount_cents, order_id ON refund
BEGIN
    UPDATE member_figures SET spend_cents = spend_cents + OLD.amount_cents
    WHERE member_id = (SELECT o.member_id FROM orders o
        WHERE o.id = OLD.order_id AND o.status = 'active');
    UPDATE member_figures SET spend_cents = spend_cents - NEW.amount_cents
    WHERE member_id = (SELECT o.member_id FROM orders o
        WHERE o.id = NEW.order_id AND o.status = 'active');
END;
CREATE TRIGGER member_figures_points_insert AFTER INSERT ON pointsentry BEGIN
    UPDATE member_figures SET points = points + NEW.delta WHERE member_id = NEW.member_id;
END;
CREATE TRIGGER member_figures_points_delete AFTER DELETE ON pointsentry BEGIN
    UPDATE member_figures SET points = points - OLD.delta WHERE member_id = OLD.member_id;
END;
CREATE TRIGGER member_figures_points_update AFTER UPDATE OF delta, member_id ON pointsentry
BEGIN
    UPDATE member_figures SET points = points - OLD.delta WHERE member_id = OLD.member_id;
    UPDATE member_figures SET points = points + NEW.delta WHERE member_id = NEW.member_id;
END;
