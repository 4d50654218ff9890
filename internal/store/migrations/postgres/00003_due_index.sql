-- The overdue sweep and the overdue filter read cases by their open reply
-- deadline (due_at is empty once the complainant has been replied to).

-- +goose Up
CREATE INDEX cases_due ON cases (due_at);

-- +goose Down
DROP INDEX cases_due;
