package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/connections"
	"batchdesk/backend/workspace"
)

func init() { register(newConnectionsCmd) }

func newConnectionsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "connections",
		Short: "Saved CRM connections: list, add, test, remove",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the built-in sandbox and the saved connections",
		Args:  cobra.NoArgs,
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			cs, err := ws.Conns.List(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(env.Stdout).Encode(cs)
			}
			w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tKIND\tWHERE\tPASSWORD")
			for _, c := range cs {
				where := c.URL
				if c.Kind == "sandbox" {
					where = c.Path
				}
				pw := "-"
				if c.HasPassword {
					pw = "stored"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Name, c.Kind, where, pw)
			}
			return w.Flush()
		}),
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var password bool
	var zone string
	add := &cobra.Command{
		Use:   "add NAME DSN",
		Short: "Save a connection (postgres://user[:pass]@host:port/db?search_path=…); the password goes to the keyring",
		Args:  cobra.ExactArgs(2),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			in := connections.Input{Name: args[0], DSN: args[1], Zone: zone}
			if password {
				pw, err := readPasswordLine(env.Stdin)
				if err != nil {
					return err
				}
				in.Password = pw
			}
			c, err := ws.Conns.Add(cmd.Context(), in)
			if err != nil {
				return err
			}
			where := c.URL
			if where == "" {
				where = c.Path
			}
			if c.Zone != "" {
				where += ", time zone " + c.Zone
			}
			fmt.Fprintf(env.Stdout, "saved %s (%s)\n", c.Name, where)
			return nil
		}),
	}
	add.Flags().BoolVar(&password, "password-stdin", false, "read the password from the first line of stdin")
	add.Flags().StringVar(&zone, "zone", "", "IANA time zone (Asia/Shanghai) of datetimes the files write without one (default: the computer's)")

	test := &cobra.Command{
		Use:   "test NAME",
		Short: "Log in for real and report the server version and object count",
		Args:  cobra.ExactArgs(1),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			r, err := ws.Conns.Test(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if !r.OK {
				return fmt.Errorf("%s: %s", args[0], r.Message)
			}
			fmt.Fprintf(env.Stdout, "ok: %s — %s, %d objects, %d ms\n", args[0], r.ServerVersion, r.Objects, r.Millis)
			return nil
		}),
	}
	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Delete a saved connection and its stored password",
		Args:  cobra.ExactArgs(1),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			if err := ws.Conns.Remove(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "removed %s\n", args[0])
			return nil
		}),
	}
	cmd.AddCommand(list, add, test, remove)
	return cmd
}

// readPasswordLine reads one line from r (the password piped on stdin), without
// its line ending. An empty line is refused.
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", apperr.New(apperr.Invalid, "no password on stdin")
	}
	return line, nil
}
