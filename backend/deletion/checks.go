package deletion

import (
	"context"
	"fmt"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
)

// secondCheck says which check t allows besides the typed object name: the
// password when a login with a random wrong password is refused, else the
// exact count (trust authentication, where any password logs in, or the
// sandbox, which has none). Batchdesk never claims a password was verified
// where the server checks none.
func secondCheck(ctx context.Context, t target) (check, note string, err error) {
	checked, err := t.PasswordChecked(ctx)
	if err != nil {
		return "", "", err
	}
	switch {
	case checked:
		return CheckPassword, "the server checks passwords: type the connection's password", nil
	case t.Kind() == crm.KindSandbox:
		return CheckCount, "a sandbox has no password: type the exact count of records that go instead", nil
	}
	return CheckCount, "this server accepts any password (trust authentication), so no password can be verified: type the exact count of records that go instead", nil
}

// confirm runs the checks of a delete of total records on t: the typed
// object name always, then the password by a fresh login or, where none
// can be verified, the typed exact count.
func (p *plan) confirm(ctx context.Context, c Confirmation, check string, total int64) error {
	if c.Object != p.obj.APIName {
		return apperr.New(apperr.Conflict, "not confirmed: type the object's API name %s to confirm the delete (nothing was deleted)", p.obj.APIName)
	}
	if check == CheckCount {
		if c.Count != total {
			return apperr.New(apperr.Conflict, "not confirmed: %s checks no password, so confirm with the exact count of records that go (see the preview); nothing was deleted", p.t.Describe())
		}
		return nil
	}
	if c.Count > 0 && c.Count != total {
		return apperr.New(apperr.Conflict, "not confirmed: %d records go, not %d; nothing was deleted", total, c.Count)
	}
	if c.Password == "" {
		return apperr.New(apperr.AuthFailed, "type the password of %s to confirm the delete (nothing was deleted)", p.t.Describe())
	}
	if err := p.t.VerifyPassword(ctx, c.Password); err != nil {
		if apperr.CodeOf(err) == apperr.AuthFailed {
			return apperr.Wrap(err, apperr.AuthFailed, "wrong password for %s: nothing was deleted", p.t.Describe())
		}
		return err
	}
	return nil
}

// refusals of a delete that is confirmed but cannot run as asked.
func (p *plan) refusal(pv Preview) error {
	if pv.Blocked > 0 && !p.req.SkipBlocked {
		return apperr.New(apperr.Conflict, "%d of the %d %s records cannot go: other records still refer to them (%s); delete those first, or skip the blocked ones — nothing was deleted",
			pv.Blocked, pv.Matching, p.obj.APIName, blockedSummary(pv))
	}
	if p.req.MaxCount > 0 && pv.Total > p.req.MaxCount {
		return apperr.New(apperr.Conflict, "matches %s records, more than the %s allowed when this schedule was made: nothing was deleted",
			Thousands(pv.Total), Thousands(p.req.MaxCount))
	}
	return nil
}

func blockedSummary(pv Preview) string {
	s := ""
	for _, b := range pv.Blocking {
		if b.Rows == 0 {
			continue
		}
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%d %s by %s", b.Rows, b.Object, joinFields(b.Fields))
	}
	if len(pv.BlockedIDs) > 0 {
		s += "; first blocked ids: " + joinFields(pv.BlockedIDs[:min(5, len(pv.BlockedIDs))])
	}
	return s
}

func joinFields(fs []string) string {
	out := ""
	for i, f := range fs {
		if i > 0 {
			out += ", "
		}
		out += f
	}
	return out
}

// Thousands writes n with comma separators: 5,210.
func Thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
