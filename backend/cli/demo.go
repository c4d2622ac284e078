package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"batchdesk/backend/crm"
)

func init() { register(newDemoCmd) }

func newDemoCmd(env *Env) *cobra.Command {
	var target string
	cmd := &cobra.Command{
		Use:   "demo-crm --crm C",
		Short: "Install the demo CRM (objects, labels, users, seed data) into a database or sandbox",
		Long: `Install the demo CRM of the design (Account, Contact, Product, Opportunity,
OpportunityLine, users, teams, audit log, seed data) into PostgreSQL (schema
crm) or a sandbox file. Running it again changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			t, err := openTarget(env, cmd, target)
			if err != nil {
				return err
			}
			defer t.Close()
			if err := crm.InstallDemo(ctx, t); err != nil {
				return err
			}
			objs, err := t.Objects(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "demo CRM ready in %s: %d objects\n", t.Describe(), len(objs))
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "crm", "", "the CRM: a PostgreSQL URL, a saved connection, sandbox or sandbox:PATH")
	_ = cmd.MarkFlagRequired("crm")
	return cmd
}

// openTarget resolves --crm (URL, saved name, sandbox) and opens it.
func openTarget(env *Env, cmd *cobra.Command, c string) (crm.Target, error) {
	ws, err := env.workspace()
	if err != nil {
		return nil, err
	}
	spec, err := ws.Conns.Resolve(cmd.Context(), c)
	if err != nil {
		return nil, err
	}
	return crm.Open(cmd.Context(), spec)
}
