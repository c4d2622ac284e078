package cli

import (
	"github.com/spf13/cobra"
)

func init() { register(newValidateCmd) }

func newValidateCmd(env *Env) *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "validate --crm C --object O [import flags] FILE...",
		Short: "Check CSV files against an object without writing anything",
		Long: `Validate reads and checks every row as an import would (types, required,
lengths, picklists, formats, duplicate keys, lookups) and writes nothing to
the CRM. With --rehearse the whole load also runs in a transaction on the CRM
that is rolled back, to catch what only the server knows.

Exit status: 0 every row is valid, 1 some rows have problems (listed in the
error report, --errors or the data folder's reports/), 2 it could not run.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(env, cmd, &f, args, !f.rehearse)
		},
	}
	f.bind(cmd.Flags(), true)
	return cmd
}
