-- The agreement each change was made under: its own id for an agreement's
-- changes, the commitment's agreement for a commitment's ('' for users and
-- tokens). An agreement's history (regsql.Store.AgreementHistory) selects on
-- it, so the changes of deleted commitments, and of a deleted agreement's
-- commitments, stay in it. Existing rows are filled in from the records kept
-- with each change (a commitment's agreement is its "agreement" field, and
-- it never changes).
ALTER TABLE changes ADD COLUMN IF NOT EXISTS agreement_id TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE changes SET agreement_id = entity_id WHERE entity = 'agreement';
UPDATE changes SET agreement_id = COALESCE((CASE WHEN after_json <> '' THEN after_json ELSE before_json END)::jsonb ->> 'agreement', '')
    WHERE entity = 'commitment' AND (after_json <> '' OR before_json <> '');
CREATE INDEX IF NOT EXISTS changes_agreement ON changes (agreement_id, id);
