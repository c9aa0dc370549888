-- drill schema, version 4: which variant a card had shown last before each grade, so an
-- undo can put it back.

ALTER TABLE reviews ADD COLUMN last_seed_before INTEGER;
