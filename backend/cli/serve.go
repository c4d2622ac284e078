package cli

import (
	"github.com/spf13/cobra"

	"batchdesk/backend/httpapi"
)

func init() { register(newServeCmd) }

func newServeCmd(env *Env) *cobra.Command {
	var opts ServeOptions
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:PORT] [--allow-remote]",
		Short: "Serve the app to a browser on this computer (prints the URL with its token)",
		Long: `Serve the same UI and app methods over HTTP. The first line printed is
http://127.0.0.1:PORT/?token=TOKEN — open it in a browser. Every request needs
that per-run token. Only loopback addresses are allowed unless --allow-remote.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkServeAddr(opts); err != nil {
				return err
			}
			return env.Serve(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "address to listen on (a free port when PORT is 0)")
	cmd.Flags().BoolVar(&opts.AllowRemote, "allow-remote", false, "allow a non-loopback address (anyone who can reach it and has the token can use the app)")
	return cmd
}

// checkServeAddr refuses a non-loopback address before anything opens.
func checkServeAddr(o ServeOptions) error {
	return httpapi.CheckAddr(o.Addr, o.AllowRemote)
}
