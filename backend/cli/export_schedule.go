package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"batchdesk/backend/export"
	"batchdesk/backend/schedule"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

// scheduleExport saves the export as a schedule instead of running it now:
// the export is checked first as if it ran (CRM, object, fields, filter,
// destination), then stored without any password, with folder paths made
// absolute so the scheduler finds them from wherever it runs. It prints the
// schedule's ID and next run.
func scheduleExport(env *Env, cmd *cobra.Command, specText string, set export.Settings, asJSON bool) error {
	ctx := cmd.Context()
	ws, r, err := registry(env, cmd, nil)
	if err != nil {
		return err
	}
	// Parse the spec before anything slow, so a typo is reported at once.
	if _, err := schedule.Parse(specText, ""); err != nil {
		return err
	}
	saved, dropped := forLater(ctx, ws, set)
	if err := export.NewService(ws, r, nil).Check(ctx, set); err != nil {
		return err
	}
	body, err := json.Marshal(saved)
	if err != nil {
		return fmt.Errorf("encode export settings: %w", err)
	}
	what := "all objects"
	if saved.Request.Object != "" {
		what = saved.Request.Object
	}
	sc, spec, err := schedule.Create(ctx, ws.Store, schedule.New{Kind: store.JobExport, Spec: specText,
		Title: "export " + what + " to " + saved.Destination, Settings: body}, time.Now().Round(0))
	if err != nil {
		return err
	}
	for _, d := range dropped {
		fmt.Fprintf(env.Stderr, "batchdesk: note: the password in %s is not kept with the schedule; its runs need it saved (batchdesk connections add / destinations add) or in the scheduler's environment\n", d)
	}
	if asJSON {
		return writeJSON(env, map[string]any{"scheduleId": sc.ID, "spec": sc.Spec, "words": spec.Describe("en"),
			"nextRun": sc.NextRun.UTC().Format(time.RFC3339)})
	}
	fmt.Fprintf(env.Stdout, "Scheduled export %s\n", sc.ID)
	fmt.Fprintf(env.Stdout, "  When:     %s\n", spec.Describe("en"))
	fmt.Fprintf(env.Stdout, "  Next run: %s (%s)\n", spec.FormatRun(sc.NextRun), sc.NextRun.UTC().Format(time.RFC3339))
	fmt.Fprintf(env.Stdout, "  It runs while the window, 'batchdesk serve' or 'batchdesk scheduler' runs; see it with: batchdesk schedules show %s\n", sc.ID)
	return nil
}

// forLater is set as a schedule stores it: passwords taken out of URLs
// (dropped names the flags that had one), and folder and sandbox paths
// absolute.
func forLater(ctx context.Context, ws *workspace.Workspace, set export.Settings) (export.Settings, []string) {
	var dropped []string
	var had bool
	if set.CRM, had = stripPassword(strings.TrimSpace(set.CRM)); had {
		dropped = append(dropped, "--crm")
	}
	if set.Destination, had = stripPassword(strings.TrimSpace(set.Destination)); had {
		dropped = append(dropped, "--to")
	}
	if p, ok := strings.CutPrefix(set.CRM, "sandbox:"); ok && p != "" {
		if abs, err := filepath.Abs(p); err == nil {
			set.CRM = "sandbox:" + abs
		}
	}
	if d := set.Destination; d != "" && !strings.Contains(d, "://") {
		if _, err := ws.Store.GetDestination(ctx, d); err != nil { // not a saved destination: a folder
			if abs, err := filepath.Abs(d); err == nil {
				set.Destination = abs
			}
		}
	}
	return set, dropped
}

// stripPassword removes the password from a URL; had says there was one.
func stripPassword(s string) (string, bool) {
	if !strings.Contains(s, "://") {
		return s, false
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s, false
	}
	if _, ok := u.User.Password(); !ok {
		return s, false
	}
	u.User = url.User(u.User.Username())
	return u.String(), true
}
