-- 0003: a connection's time zone (IANA name, "" = the computer's), used
-- for datetimes written without a zone (DESIGN §1.13).
ALTER TABLE connections ADD COLUMN zone TEXT NOT NULL DEFAULT '';
