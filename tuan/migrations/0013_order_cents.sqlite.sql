-- Schema version 13 on SQLite: the triggers keeping `orders.lines_cents`.
CREATE TRIGGER orderline_cents_insert AFTER INSERT ON orderline BEGIN
    UPDATE orders SET lines_cents = lines_cents + NEW.qty * NEW.unit_price_cents
    WHERE id = NEW.order_id;
END;
CREATE TRIGGER orderline_cents_delete AFTER DELETE ON orderline BEGIN
    UPDATE orders SET lines_cents = lines_cents - OLD.qty * OLD.unit_price_cents
    WHERE id = OLD.order_id;
END;
CREATE TRIGGER orderline_cents_update AFTER UPDATE OF qty, unit_price_cents, order_id ON orderline
BEGIN
    UPDATE orders SET lines_cents = lines_cents - OLD.qty * OLD.unit_price_cents
    WHERE id = OLD.order_id;
    UPDATE orders SET lines_cents = lines_cents + NEW.qty * NEW.unit_price_cents
    WHERE id = NEW.order_id;
END;
