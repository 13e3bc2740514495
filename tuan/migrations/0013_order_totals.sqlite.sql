-- Schema version 13 on SQLite: the triggers keeping `orders.lines_qty` and `lines_cents`.
CREATE TRIGGER orderline_totals_insert AFTER INSERT ON orderline BEGIN
    UPDATE orders SET lines_qty = lines_qty + NEW.qty,
        lines_cents = lines_cents + NEW.qty * NEW.unit_price_cents
    WHERE id = NEW.order_id;
END;
CREATE TRIGGER orderline_totals_delete AFTER DELETE ON orderline BEGIN
    UPDATE orders SET lines_qty = lines_qty - OLD.qty,
        lines_cents = lines_cents - OLD.qty * OLD.unit_price_cents
    WHERE id = OLD.order_id;
END;
CREATE TRIGGER orderline_totals_update AFTER UPDATE OF qty, unit_price_cents, order_id ON orderline
BEGIN
    UPDATE orders SET lines_qty = lines_qty - OLD.qty,
        lines_cents = lines_cents - OLD.qty * OLD.unit_price_cents
    WHERE id = OLD.order_id;
    UPDATE orders SET lines_qty = lines_qty + NEW.qty,
        lines_cents = lines_cents + NEW.qty * NEW.unit_price_cents
    WHERE id = NEW.order_id;
END;
