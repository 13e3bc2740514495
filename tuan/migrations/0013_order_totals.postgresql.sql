-- Schema version 13 on PostgreSQL: the trigger keeping `orders.lines_qty` and `lines_cents`.
CREATE FUNCTION tuan_orderline_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE orders SET lines_qty = lines_qty - OLD.qty,
            lines_cents = lines_cents - OLD.qty * OLD.unit_price_cents
        WHERE id = OLD.order_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE orders SET lines_qty = lines_qty + NEW.qty,
            lines_cents = lines_cents + NEW.qty * NEW.unit_price_cents
        WHERE id = NEW.order_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER orderline_totals AFTER INSERT OR DELETE OR UPDATE OF qty, unit_price_cents, order_id
ON orderline FOR EACH ROW EXECUTE FUNCTION tuan_orderline_totals();
