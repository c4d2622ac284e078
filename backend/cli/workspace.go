package cli

import (
	"github.com/spf13/cobra"

	"batchdesk/backend/workspace"
)

// withWorkspace makes a command body that opens the app's workspace (store,
// secrets, connections; main.go opens it lazily and hands it over in Env)
// first, so each subcommand only says what it does with it.
func withWorkspace(env *Env, run func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ws, err := env.workspace()
		if err != nil {
			return err
		}
		return run(cmd, args, ws)
	}
}
