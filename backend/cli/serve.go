package cli

import (
	"github.com/spf13/cobra"

	"batchdesk/backend/httpapi"
)

func init() { register(newServeCmd) }

func newServeCmd(env *Env) *cobra.Command {
	var opts ServeOptions
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:PORT] [--allow-remote] [--root DIR]",
		Short: "Serve the app to a browser on this computer (prints the URL with its token)",
		Long: `Serve the same UI and app methods over HTTP. The first line printed is
http://127.0.0.1:PORT/?token=TOKEN — open it in a browser. Every request needs
that per-run token. Only loopback addresses are allowed unless --allow-remote.
The page can open only the files uploaded to it, and with --root DIR the
files in DIR (and below).`,
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
	cmd.Flags().StringVar(&opts.Root, "root", "", "a folder whose files the page may open by path (besides its uploads)")
	return cmd
}

// checkServeAddr refuses a non-loopback address before anything opens.
func checkServeAddr(o ServeOptions) error {
	return httpapi.CheckAddr(o.Addr, o.AllowRemote)
}
