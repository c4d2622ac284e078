-- 0002 is another branch's migration; this placeholder keeps the numbers
-- consecutive until that branch is merged, then it is deleted.
SELECT 1;
