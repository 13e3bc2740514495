-- Schema version 16 on SQLite: what the dashboard's closed months are worked out from, kept by
-- triggers on every write to orders, their lines, refunds and items, whoever makes it, so that a
-- reading with no stored ledger (`domain/dashboard/kept_months.py`) sums a few indexed rows per
-- month instead of every order: on the xl demo (half a million orders) that reading took 2 s.
--
-- Months are the leader's local months: `month_zone` holds the SQLite modifier that turns a
-- stored UTC time into local time (such as '+480 minutes'). It is empty until the app fills
-- it and counts everything once (`kept_months.ensure`); while it is empty the triggers do
-- nothing, and after a change of time zone the app counts everything again.
CREATE TABLE month_zone (shift TEXT NOT NULL);
-- One row per member and month with an order that counts (active, with lines, not refunded
-- whole): how many, what they came to net of refunds, the latest; `spent`: the member's spend
-- to the end of that month; `first_month`, `next_month`: the member's first month with such an
-- order, and next after this one ('9999-12' for none); `active_until`: the last month at whose
-- end the member is not dormant on this month's orders alone (their latest order less than 60
-- days before the month's end, `shared.rows.DORMANT_DAYS`), or the month before the member's
-- next, whose row carries on from there.
CREATE TABLE member_months (
    member_id INTEGER NOT NULL,
    month TEXT NOT NULL,
    orders INTEGER NOT NULL,
    cents INTEGER NOT NULL,
    last_at TEXT NOT NULL,
    spent INTEGER NOT NULL,
    first_month TEXT NOT NULL,
    next_month TEXT NOT NULL,
    active_until TEXT NOT NULL,
    PRIMARY KEY (member_id, month)
) WITHOUT ROWID;
-- Each month's sums; the rows at which members stop being active; each member's latest row
-- before a month (its next one is that month or later): the ledger at the month's start.
CREATE INDEX ix_member_months_month ON member_months (month, orders, cents, spent, first_month);
CREATE INDEX ix_member_months_until ON member_months (active_until, month);
CREATE INDEX ix_member_months_latest ON member_months
    (next_month, month, member_id, first_month, last_at, spent);
-- Each month's lines whose item has a cost and a known price, before refunds: what they sold
-- for, what their pieces cost, how many (`order_rows.COSTED_SUMS`).
CREATE TABLE month_margins (
    month TEXT NOT NULL PRIMARY KEY,
    sold INTEGER NOT NULL,
    cost INTEGER NOT NULL,
    units INTEGER NOT NULL
) WITHOUT ROWID;
-- What the rows are, counted from the orders: the one definition, which the triggers and the
-- first count both use, and the tests compare with what is kept.
CREATE VIEW member_months_counted AS
SELECT member_id, month, orders, cents, last_at,
    SUM(cents) OVER by_month AS spent,
    MIN(month) OVER by_month AS first_month,
    COALESCE(LEAD(month) OVER by_month, '9999-12') AS next_month,
    min(strftime('%Y-%m', last_at, shift, '+60 days', 'start of month', '-1 day'),
        COALESCE(strftime('%Y-%m', (LEAD(month) OVER by_month) || '-01', '-1 month'), '9999-12'))
        AS active_until
FROM (
    SELECT o.member_id AS member_id, strftime('%Y-%m', o.created_at, z.shift) AS month,
        count(*) AS orders,
        SUM(max(o.lines_cents - COALESCE(
            (SELECT SUM(r.amount_cents) FROM refund r WHERE r.order_id = o.id), 0), 0)) AS cents,
        max(o.created_at) AS last_at, z.shift AS shift
    FROM orders o, month_zone z
    WHERE o.status = 'active' AND o.lines_qty > 0 AND NOT EXISTS (
        SELECT 1 FROM refund r WHERE r.order_id = o.id GROUP BY r.order_id
        HAVING (SUM(r.amount_cents) >= o.lines_cents AND o.lines_cents > 0)
            OR (o.lines_cents = 0 AND SUM(r.qty) >= o.lines_qty))
    GROUP BY 1, 2
)
WINDOW by_month AS (PARTITION BY member_id ORDER BY month);
CREATE VIEW month_margins_counted AS
SELECT strftime('%Y-%m', o.created_at, z.shift) AS month, SUM(l.qty * l.unit_price_cents) AS sold,
    SUM(l.qty * i.cost_cents) AS cost, SUM(l.qty) AS units
FROM orderline l JOIN orders o ON o.id = l.order_id JOIN chainitem i ON i.id = l.item_id,
    month_zone z
WHERE o.status = 'active' AND i.cost_cents IS NOT NULL AND i.price_known
GROUP BY 1;
-- A member's rows counted again (a few orders, by the orders' index): inserting a member's id
-- here runs it. One body for every trigger below, as SQLite has no procedures.
CREATE VIEW member_months_recount AS SELECT member_id FROM member_months;
CREATE TRIGGER member_months_recount INSTEAD OF INSERT ON member_months_recount BEGIN
    DELETE FROM member_months WHERE member_id = NEW.member_id;
    INSERT INTO member_months (member_id, month, orders, cents, last_at, spent, first_month,
        next_month, active_until)
    SELECT member_id, month, orders, cents, last_at, spent, first_month, next_month, active_until
    FROM member_months_counted WHERE member_id = NEW.member_id;
END;
CREATE TRIGGER member_months_order_insert AFTER INSERT ON orders
WHEN NEW.status = 'active' AND NEW.lines_qty > 0
BEGIN
    INSERT INTO member_months_recount (member_id) SELECT NEW.member_id FROM month_zone;
END;
-- The frequent write, a line added to (or changed on) an order of the member's latest month
-- with no refund, moves that month's row by what changed instead of counting the member again
-- (a 1,000-entry import: 30 ms less); the next trigger does the rest.
CREATE TRIGGER member_months_order_lines AFTER UPDATE OF lines_qty, lines_cents ON orders
WHEN NEW.status = 'active' AND OLD.status = 'active'
    AND NEW.member_id = OLD.member_id AND NEW.created_at = OLD.created_at AND NEW.lines_qty > 0
    AND (OLD.lines_qty IS NOT NEW.lines_qty OR OLD.lines_cents IS NOT NEW.lines_cents)
    AND NOT EXISTS (SELECT 1 FROM refund r WHERE r.order_id = NEW.id)
    AND EXISTS (SELECT 1 FROM month_zone z WHERE strftime('%Y-%m', NEW.created_at, z.shift)
        >= COALESCE((SELECT max(p.month) FROM member_months p WHERE p.member_id = NEW.member_id), ''))
BEGIN
    INSERT INTO member_months (member_id, month, orders, cents, last_at, spent, first_month,
        next_month, active_until)
    SELECT NEW.member_id, m.month, 1, NEW.lines_cents, NEW.created_at,
        COALESCE(p.spent, 0) + NEW.lines_cents, COALESCE(p.first_month, m.month), '9999-12',
        strftime('%Y-%m', NEW.created_at, m.shift, '+60 days', 'start of month', '-1 day')
    FROM (SELECT strftime('%Y-%m', NEW.created_at, z.shift) AS month, z.shift FROM month_zone z) m
    LEFT JOIN member_months p ON p.member_id = NEW.member_id AND p.next_month = '9999-12'
        AND p.month < m.month
    WHERE true
    ON CONFLICT (member_id, month) DO UPDATE SET
        orders = orders + (OLD.lines_qty = 0),
        cents = cents + NEW.lines_cents - OLD.lines_cents,
        spent = spent + NEW.lines_cents - OLD.lines_cents,
        last_at = max(last_at, excluded.last_at),
        active_until = (SELECT strftime('%Y-%m', max(last_at, excluded.last_at), z.shift,
            '+60 days', 'start of month', '-1 day') FROM month_zone z);
    UPDATE member_months SET next_month = (SELECT strftime('%Y-%m', NEW.created_at, z.shift)
            FROM month_zone z),
        active_until = min(active_until, (SELECT strftime('%Y-%m', NEW.created_at, z.shift,
            'start of month', '-1 day') FROM month_zone z))
    WHERE member_id = NEW.member_id AND next_month = '9999-12'
        AND month < (SELECT strftime('%Y-%m', NEW.created_at, z.shift) FROM month_zone z);
END;
CREATE TRIGGER member_months_order_update
AFTER UPDATE OF status, member_id, created_at, lines_qty, lines_cents ON orders
WHEN (OLD.status = 'active' OR NEW.status = 'active') AND (OLD.status IS NOT NEW.status
    OR OLD.member_id IS NOT NEW.member_id OR OLD.created_at IS NOT NEW.created_at
    OR OLD.lines_qty IS NOT NEW.lines_qty OR OLD.lines_cents IS NOT NEW.lines_cents)
    AND NOT (NEW.status = 'active' AND OLD.status = 'active'
        AND NEW.member_id = OLD.member_id AND NEW.created_at = OLD.created_at AND NEW.lines_qty > 0
        AND (OLD.lines_qty IS NOT NEW.lines_qty OR OLD.lines_cents IS NOT NEW.lines_cents)
        AND NOT EXISTS (SELECT 1 FROM refund r WHERE r.order_id = NEW.id)
        AND EXISTS (SELECT 1 FROM month_zone z WHERE strftime('%Y-%m', NEW.created_at, z.shift)
            >= COALESCE((SELECT max(p.month) FROM member_months p WHERE p.member_id = NEW.member_id), '')))
BEGIN
    INSERT INTO member_months_recount (member_id)
    SELECT OLD.member_id FROM month_zone WHERE OLD.member_id IS NOT NEW.member_id;
    INSERT INTO member_months_recount (member_id) SELECT NEW.member_id FROM month_zone;
END;
CREATE TRIGGER member_months_order_delete AFTER DELETE ON orders WHEN OLD.status = 'active'
BEGIN
    INSERT INTO member_months_recount (member_id) SELECT OLD.member_id FROM month_zone;
END;
CREATE TRIGGER member_months_refund_insert AFTER INSERT ON refund BEGIN
    INSERT INTO member_months_recount (member_id)
    SELECT o.member_id FROM orders o, month_zone WHERE o.id = NEW.order_id AND o.status = 'active';
END;
CREATE TRIGGER member_months_refund_delete AFTER DELETE ON refund BEGIN
    INSERT INTO member_months_recount (member_id)
    SELECT o.member_id FROM orders o, month_zone WHERE o.id = OLD.order_id AND o.status = 'active';
END;
CREATE TRIGGER member_months_refund_update AFTER UPDATE OF qty, amount_cents, order_id ON refund
BEGIN
    INSERT INTO member_months_recount (member_id)
    SELECT DISTINCT o.member_id FROM orders o, month_zone
    WHERE o.id IN (OLD.order_id, NEW.order_id) AND o.status = 'active';
END;
-- The margins move by what a write changed: inserting into this view adds to a month's sums.
CREATE VIEW month_margins_move AS SELECT month, sold, cost, units FROM month_margins;
CREATE TRIGGER month_margins_move INSTEAD OF INSERT ON month_margins_move BEGIN
    INSERT INTO month_margins (month, sold, cost, units)
    VALUES (NEW.month, NEW.sold, NEW.cost, NEW.units)
    ON CONFLICT (month) DO UPDATE SET sold = sold + excluded.sold, cost = cost + excluded.cost,
        units = units + excluded.units;
END;
-- A line's own, when it is added, removed or changed: inserting a line's order, item, pieces
-- (less than 0 to take them off) and unit price into this view moves its month.
CREATE VIEW month_margins_line AS
SELECT 0 AS order_id, 0 AS item_id, 0 AS qty, 0 AS unit_price_cents WHERE 0;
CREATE TRIGGER month_margins_line INSTEAD OF INSERT ON month_margins_line BEGIN
    INSERT INTO month_margins_move (month, sold, cost, units)
    SELECT strftime('%Y-%m', o.created_at, z.shift), NEW.qty * NEW.unit_price_cents,
        NEW.qty * i.cost_cents, NEW.qty
    FROM orders o, chainitem i, month_zone z
    WHERE o.id = NEW.order_id AND o.status = 'active' AND i.id = NEW.item_id
        AND i.cost_cents IS NOT NULL AND i.price_known;
END;
CREATE TRIGGER month_margins_line_insert AFTER INSERT ON orderline BEGIN
    INSERT INTO month_margins_line (order_id, item_id, qty, unit_price_cents)
    VALUES (NEW.order_id, NEW.item_id, NEW.qty, NEW.unit_price_cents);
END;
CREATE TRIGGER month_margins_line_delete AFTER DELETE ON orderline BEGIN
    INSERT INTO month_margins_line (order_id, item_id, qty, unit_price_cents)
    VALUES (OLD.order_id, OLD.item_id, -OLD.qty, OLD.unit_price_cents);
END;
CREATE TRIGGER month_margins_line_update
AFTER UPDATE OF qty, unit_price_cents, item_id, order_id ON orderline
BEGIN
    INSERT INTO month_margins_line (order_id, item_id, qty, unit_price_cents)
    VALUES (OLD.order_id, OLD.item_id, -OLD.qty, OLD.unit_price_cents),
        (NEW.order_id, NEW.item_id, NEW.qty, NEW.unit_price_cents);
END;
-- An order's lines all at once: when it is cancelled, restored or moved to another time, and
-- before it is deleted (its lines go after it, when it can no longer be found).
CREATE TRIGGER month_margins_order_moved AFTER UPDATE OF status, created_at ON orders
WHEN OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at
BEGIN
    INSERT INTO month_margins_move (month, sold, cost, units)
    SELECT strftime('%Y-%m', OLD.created_at, z.shift), -SUM(l.qty * l.unit_price_cents),
        -SUM(l.qty * i.cost_cents), -SUM(l.qty)
    FROM orderline l JOIN chainitem i ON i.id = l.item_id, month_zone z
    WHERE l.order_id = OLD.id AND OLD.status = 'active'
        AND i.cost_cents IS NOT NULL AND i.price_known
    GROUP BY 1;
    INSERT INTO month_margins_move (month, sold, cost, units)
    SELECT strftime('%Y-%m', NEW.created_at, z.shift), SUM(l.qty * l.unit_price_cents),
        SUM(l.qty * i.cost_cents), SUM(l.qty)
    FROM orderline l JOIN chainitem i ON i.id = l.item_id, month_zone z
    WHERE l.order_id = NEW.id AND NEW.status = 'active'
        AND i.cost_cents IS NOT NULL AND i.price_known
    GROUP BY 1;
END;
CREATE TRIGGER month_margins_order_delete BEFORE DELETE ON orders WHEN OLD.status = 'active'
BEGIN
    INSERT INTO month_margins_move (month, sold, cost, units)
    SELECT strftime('%Y-%m', OLD.created_at, z.shift), -SUM(l.qty * l.unit_price_cents),
        -SUM(l.qty * i.cost_cents), -SUM(l.qty)
    FROM orderline l JOIN chainitem i ON i.id = l.item_id, month_zone z
    WHERE l.order_id = OLD.id AND i.cost_cents IS NOT NULL AND i.price_known
    GROUP BY 1;
END;
-- An item's cost or known price set: every line of it counts, or no longer does, at the cost.
CREATE TRIGGER month_margins_item_cost AFTER UPDATE OF cost_cents, price_known ON chainitem
WHEN OLD.cost_cents IS NOT NEW.cost_cents OR OLD.price_known IS NOT NEW.price_known
BEGIN
    INSERT INTO month_margins_move (month, sold, cost, units)
    SELECT strftime('%Y-%m', o.created_at, z.shift),
        SUM(l.qty * l.unit_price_cents) * (
            (NEW.cost_cents IS NOT NULL AND NEW.price_known)
            - (OLD.cost_cents IS NOT NULL AND OLD.price_known)),
        SUM(l.qty) * (
            CASE WHEN NEW.cost_cents IS NOT NULL AND NEW.price_known THEN NEW.cost_cents ELSE 0 END
            - CASE WHEN OLD.cost_cents IS NOT NULL AND OLD.price_known THEN OLD.cost_cents ELSE 0 END),
        SUM(l.qty) * (
            (NEW.cost_cents IS NOT NULL AND NEW.price_known)
            - (OLD.cost_cents IS NOT NULL AND OLD.price_known))
    FROM orderline l JOIN orders o ON o.id = l.order_id, month_zone z
    WHERE l.item_id = NEW.id AND o.status = 'active'
    GROUP BY 1;
END;
