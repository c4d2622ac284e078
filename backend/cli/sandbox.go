package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/sandboxcopy"
)

func init() { register(newSandboxCmd) }

func newSandboxCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox create NAME --from C [flags] | list | remove NAME | refresh NAME",
		Short: "Make, list, refresh or remove sandbox copies of a customer's CRM",
		Long: `A sandbox copy holds a CRM's objects, fields (labels, types, lengths,
required and unique flags, picklists, lookups, master-detail links) and its
reference records in a local file, so a data initialisation can be rehearsed
offline: use it as --crm sandbox:NAME. Copies live in the data folder's
"sandboxes" folder as NAME.db.

--records reference (the default) copies users, related-team members and the
records the chosen objects look up (at most --max-rows per object, default
100000); none copies the metadata only; all copies every record too.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return apperr.New(apperr.Invalid, "sandbox: give a subcommand: create, list, remove or refresh (see 'batchdesk sandbox --help')")
		},
	}
	cmd.AddCommand(newSandboxCreateCmd(env), newSandboxListCmd(env), newSandboxRemoveCmd(env), newSandboxRefreshCmd(env))
	return cmd
}

type sandboxFlags struct {
	from    string
	objects []string
	records string
	maxRows int64
	asJSON  bool
}

func newSandboxCreateCmd(env *Env) *cobra.Command {
	var f sandboxFlags
	cmd := &cobra.Command{
		Use:   "create NAME --from C [--objects A,B] [--records none|reference|all] [--max-rows N] [--json]",
		Short: "Copy a CRM's objects and reference records into the sandbox copy NAME",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := crm.SandboxCopyPath(args[0])
			if err != nil {
				return err
			}
			if _, err := os.Stat(path); err == nil {
				return apperr.New(apperr.Conflict, "the sandbox copy %s exists: refresh it (batchdesk sandbox refresh %s) or remove it first", args[0], args[0])
			}
			opt := sandboxcopy.Options{Objects: f.objects, Records: f.records, MaxRows: f.maxRows}
			return runSandboxCopy(env, cmd, args[0], path, f.from, opt, f.asJSON)
		},
	}
	cmd.Flags().StringVar(&f.from, "from", "", "the CRM to copy: a saved connection or a PostgreSQL URL")
	cmd.Flags().StringSliceVar(&f.objects, "objects", nil, "the objects to rehearse on (API names, comma-separated; default all)")
	cmd.Flags().StringVar(&f.records, "records", sandboxcopy.RecordsReference, "which records: none, reference or all")
	cmd.Flags().Int64Var(&f.maxRows, "max-rows", 0, "at most this many records per object (default 100000 with --records reference)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the job summary as one JSON line")
	_ = cmd.MarkFlagRequired("from")
	return cmd
}

func newSandboxRefreshCmd(env *Env) *cobra.Command {
	var from string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "refresh NAME [--from C] [--json]",
		Short: "Copy again, with the same options, from the same CRM (or from --from)",
		Long: `Refresh re-reads the metadata and the records of the copy's CRM with the
options it was made with, and replaces the copy only when the new one is
complete: nothing stale is kept (rehearsal imports into the copy are gone).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := crm.SandboxCopyPath(args[0])
			if err != nil {
				return err
			}
			if _, err := os.Stat(path); err != nil {
				return apperr.New(apperr.NotFound, "there is no sandbox copy named %q", args[0])
			}
			info, ok, err := sandboxcopy.ReadInfo(cmd.Context(), path)
			switch {
			case err != nil:
				return apperr.Wrap(err, apperr.Unavailable, "cannot read the sandbox copy %s: %v", args[0], err)
			case !ok:
				return apperr.New(apperr.Invalid, "%s is not a sandbox copy (it was not made by sandbox create)", args[0])
			}
			if from == "" {
				from = info.From
			}
			return runSandboxCopy(env, cmd, args[0], path, from, info.Options, asJSON)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "copy from this CRM instead of the one the copy was made from")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the job summary as one JSON line")
	return cmd
}

// runSandboxCopy copies from into path as a job and waits for it.
func runSandboxCopy(env *Env, cmd *cobra.Command, name, path, from string, opt sandboxcopy.Options, asJSON bool) error {
	ctx := cmd.Context()
	ws, r, err := registry(env, cmd, newProgressView(env, "sandbox copy"))
	if err != nil {
		return err
	}
	return runJob(env, ctx, r, asJSON, func(ctx context.Context) (string, error) {
		return sandboxcopy.Start(ctx, ws.Conns, r, name, path, from, opt)
	})
}

// sandboxView is one copy as `sandbox list --json` prints it.
type sandboxView struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	Bytes   int64  `json:"bytes"`
	From    string `json:"from,omitempty"`
	Records string `json:"records,omitempty"`
	Created string `json:"created,omitempty"`
	Objects int    `json:"objects"`
	Total   int64  `json:"total"`
}

func newSandboxListCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the sandbox copies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			probe, err := crm.SandboxCopyPath("x")
			if err != nil {
				return err
			}
			dir := filepath.Dir(probe)
			entries, err := os.ReadDir(dir)
			if err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "cannot read %s: %v", dir, err)
			}
			views := []sandboxView{}
			for _, e := range entries {
				name, ok := strings.CutSuffix(e.Name(), ".db")
				if !ok || e.IsDir() || !crm.ValidSandboxName(name) {
					continue
				}
				v := sandboxView{Name: name, Path: filepath.Join(dir, e.Name())}
				if fi, err := e.Info(); err == nil {
					v.Bytes = fi.Size()
				}
				if info, ok, err := sandboxcopy.ReadInfo(cmd.Context(), v.Path); err == nil && ok {
					v.From, v.Records = info.From, info.Options.Records
					v.Created = info.Created.Format("2006-01-02T15:04:05Z07:00")
					v.Objects, v.Total = len(info.Result.Objects), info.Result.Total
				}
				views = append(views, v)
			}
			sort.Slice(views, func(i, j int) bool { return views[i].Name < views[j].Name })
			if asJSON {
				b, _ := json.Marshal(views)
				fmt.Fprintf(env.Stdout, "%s\n", b)
				return nil
			}
			if len(views) == 0 {
				fmt.Fprintln(env.Stdout, "no sandbox copies (make one with: batchdesk sandbox create NAME --from C)")
				return nil
			}
			w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tFROM\tRECORDS\tOBJECTS\tROWS\tSIZE\tCREATED")
			for _, v := range views {
				fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%.1f MB\t%s\n", v.Name, v.From, v.Records, v.Objects, v.Total,
					float64(v.Bytes)/(1<<20), v.Created)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the copies as JSON")
	return cmd
}

func newSandboxRemoveCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Delete the sandbox copy NAME",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := crm.SandboxCopyPath(args[0])
			if err != nil {
				return err
			}
			if err := os.Remove(path); err != nil {
				if errors.Is(err, os.ErrNotExist) {
					return apperr.New(apperr.NotFound, "there is no sandbox copy named %q", args[0])
				}
				return apperr.Wrap(err, apperr.Unavailable, "cannot remove %s: %v", path, err)
			}
			for _, f := range []string{path + "-wal", path + "-shm", path + ".part"} {
				os.Remove(f)
			}
			fmt.Fprintf(env.Stdout, "removed sandbox copy %s\n", args[0])
			return nil
		},
	}
}
