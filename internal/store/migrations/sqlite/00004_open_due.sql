-- due_at now holds only a deadline still owed: cases that owe no reply
-- (not accepted, forwarded, voided, replied, closed) leave it empty, so the
-- overdue sweep reads open cases only through cases_due.

-- +goose Up
UPDATE cases SET due_at = NULL
WHERE status IN ('not_accepted', 'forwarded', 'voided', 'replied', 'closed');

-- +goose Down
SELECT 1;
