-- Schema version 15 on PostgreSQL: the triggers keeping `member_figures` (what each one does is
-- said in the SQLite file beside this one).
CREATE FUNCTION tuan_member_figures_count(who integer) RETURNS void LANGUAGE sql AS $$
    UPDATE member_figures SET
        order_count = (SELECT COUNT(*) FROM orders o
            WHERE o.member_id = who AND o.status = 'active'),
        spend_cents = COALESCE((SELECT SUM(o.lines_cents) FROM orders o
            WHERE o.member_id = who AND o.status = 'active'), 0)
            - COALESCE((SELECT SUM(r.amount_cents) FROM refund r JOIN orders o ON o.id = r.order_id
            WHERE o.member_id = who AND o.status = 'active'), 0),
        first_order_at = (SELECT MIN(o.created_at) FROM orders o
            WHERE o.member_id = who AND o.status = 'active'),
        last_order_at = (SELECT MAX(o.created_at) FROM orders o
            WHERE o.member_id = who AND o.status = 'active')
    WHERE member_id = who
$$;
CREATE FUNCTION tuan_member_figures_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_figures (member_id, order_count, spend_cents, first_order_at, last_order_at, points)
    VALUES (NEW.id, 0, 0, NULL, NULL, 0) ON CONFLICT (member_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER member_figures_new_member AFTER INSERT ON member
FOR EACH ROW EXECUTE FUNCTION tuan_member_figures_new();
CREATE FUNCTION tuan_member_figures_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'active' THEN
            UPDATE member_figures SET order_count = order_count + 1,
                spend_cents = spend_cents + NEW.lines_cents,
                first_order_at = CASE WHEN first_order_at IS NULL OR NEW.created_at < first_order_at
                    THEN NEW.created_at ELSE first_order_at END,
                last_order_at = CASE WHEN last_order_at IS NULL OR NEW.created_at > last_order_at
                    THEN NEW.created_at ELSE last_order_at END
            WHERE member_id = NEW.member_id;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.status = 'active' THEN
            PERFORM tuan_member_figures_count(OLD.member_id);
        END IF;
    ELSIF OLD.status IS DISTINCT FROM NEW.status OR OLD.member_id IS DISTINCT FROM NEW.member_id
        OR OLD.created_at IS DISTINCT FROM NEW.created_at THEN
        PERFORM tuan_member_figures_count(OLD.member_id);
        IF NEW.member_id IS DISTINCT FROM OLD.member_id THEN
            PERFORM tuan_member_figures_count(NEW.member_id);
        END IF;
    ELSIF NEW.status = 'active' AND NEW.lines_cents <> OLD.lines_cents THEN
        UPDATE member_figures SET spend_cents = spend_cents + NEW.lines_cents - OLD.lines_cents
        WHERE member_id = NEW.member_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER member_figures_orders
AFTER INSERT OR DELETE OR UPDATE OF lines_cents, status, member_id, created_at ON orders
FOR EACH ROW EXECUTE FUNCTION tuan_member_figures_orders();
CREATE FUNCTION tuan_member_figures_refunds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE member_figures SET spend_cents = spend_cents + OLD.amount_cents
        WHERE member_id = (SELECT o.member_id FROM orders o
            WHERE o.id = OLD.order_id AND o.status = 'active');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE member_figures SET spend_cents = spend_cents - NEW.amount_cents
        WHERE member_id = (SELECT o.member_id FROM orders o
            WHERE o.id = NEW.order_id AND o.status = 'active');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER member_figures_refunds
AFTER INSERT OR DELETE OR UPDATE OF amount_cents, order_id ON refund
FOR EACH ROW EXECUTE FUNCTION tuan_member_figures_refunds();
CREATE FUNCTION tuan_member_figures_points() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE member_figures SET points = points - OLD.delta WHERE member_id = OLD.member_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE member_figures SET points = points + NEW.delta WHERE member_id = NEW.member_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER member_figures_points AFTER INSERT OR DELETE OR UPDATE OF delta, member_id
ON pointsentry FOR EACH ROW EXECUTE FUNCTION tuan_member_figures_points();
