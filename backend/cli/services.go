package cli

import (
	"github.com/spf13/cobra"

	"batchdesk/backend/workspace"
)

// Services are the app's open services (store, secrets, connections); see
// package workspace. main.go opens them lazily and hands them over in Env.
type Services = workspace.Workspace

// withServices makes a command body that opens the app's services first, so
// each subcommand only says what it does with them.
func withServices(env *Env, run func(cmd *cobra.Command, args []string, ws *Services) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ws, err := env.services()
		if err != nil {
			return err
		}
		return run(cmd, args, ws)
	}
}
