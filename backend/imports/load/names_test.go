package load_test

import (
	"strings"
	"testing"

	"batchdesk/backend/imports/load"
)

// TestMessagesNameByLabel: the loader's sentences name objects and the
// fields looked up by their labels (with the API name where it differs),
// and the row's own key field by its label; the codes stay.
func TestMessagesNameByLabel(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg tgt) {
		got := errs(run(t, tg, plan(t, tg, "Contact", load.Insert, "", "name", "account_id"),
			rows([]any{"C1", "Nowhere Ltd"})))
		if len(got) != 1 || !strings.HasPrefix(got[0], `2 no_match account_id: no Account record matches "Nowhere Ltd": looked up by `) ||
			!strings.Contains(got[0], "Account Name (name)") || !strings.Contains(got[0], "Account No. (account_no)") {
			t.Errorf("lookup: %q", got)
		}
		got = errs(run(t, tg, plan(t, tg, "Account", load.Update, "account_no", "account_no", "industry"),
			rows([]any{"NOPE-1", "Retail"}, []any{"", "Retail"})))
		want := []string{`2 no_match no Account record has Account No. "NOPE-1"`, `3 no_match the key Account No. is empty`}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("key:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
