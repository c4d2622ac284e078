package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/destinations"
	"batchdesk/backend/workspace"
)

func init() { register(newDestinationsCmd) }

func newDestinationsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "destinations",
		Short: "Saved export destinations (folder, OSS, FTP, SFTP): list, add, test, remove",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(destinationsList(env), destinationsAdd(env), destinationsTest(env), destinationsRemove(env))
	return cmd
}

func destinationsList(env *Env) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the saved destinations (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			ds, err := ws.Dests.List(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if ds == nil {
					ds = []destinations.Destination{}
				}
				return json.NewEncoder(env.Stdout).Encode(ds)
			}
			w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tKIND\tWHERE\tSECRET\tHOST KEY")
			for _, d := range ds {
				where := d.URL
				if d.Endpoint != "" {
					where += " at " + d.Endpoint
				}
				secret := "-"
				if d.HasSecret {
					secret = "stored"
				}
				hk := d.HostKey
				if hk == "" {
					hk = "-"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", d.Name, d.Kind, where, secret, hk)
			}
			return w.Flush()
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func destinationsAdd(env *Env) *cobra.Command {
	var (
		in                                      destinations.Input
		passwordStdin, secretStdin, phraseStdin bool
	)
	c := &cobra.Command{
		Use:   "add NAME URL",
		Short: "Save a destination: a folder, oss://bucket/prefix, ftp://user@host[:port]/dir or sftp://user@host[:port]/dir",
		Long: `Save a destination under NAME. Secrets are read from stdin, one per line in
this order: the password (--password-stdin) or the OSS access key secret
(--secret-stdin), then the private key's passphrase (--key-passphrase-stdin,
or BATCHDESK_SFTP_KEY_PASSPHRASE). They go to the keyring, never to the
app's database.

FTP options go in the URL: ?tls=explicit (AUTH TLS), &epsv=off (old servers,
NAT), &verify=off (a self-signed certificate). A path after the host is
relative to the login folder; start it with "//" for an absolute folder.

SFTP: the first time, the server's host key is shown as a SHA256
fingerprint; check it with the server's administrator and add again with
--accept-host-key to pin it. A key that changes later is refused.`,
		Args: cobra.ExactArgs(2),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			in.Name, in.URL = args[0], args[1]
			lines := bufio.NewReader(env.Stdin)
			var err error
			if passwordStdin && secretStdin {
				return apperr.New(apperr.Invalid, "give --password-stdin or --secret-stdin, not both")
			}
			if passwordStdin {
				if in.Password, err = readSecretLine(lines, "password"); err != nil {
					return err
				}
			}
			if secretStdin {
				if in.AccessKeySecret, err = readSecretLine(lines, "access key secret"); err != nil {
					return err
				}
			}
			if phraseStdin {
				if in.KeyPassphrase, err = readSecretLine(lines, "key passphrase"); err != nil {
					return err
				}
			} else if in.KeyFile != "" {
				in.KeyPassphrase = os.Getenv(destinations.EnvSFTPKeyPassphrase)
			}
			d, err := ws.Dests.Add(cmd.Context(), in)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "saved %s (%s)\n", d.Name, d.URL)
			if d.HostKey != "" {
				fmt.Fprintf(env.Stdout, "host key pinned: %s\n", d.HostKey)
			}
			return nil
		}),
	}
	f := c.Flags()
	f.BoolVar(&passwordStdin, "password-stdin", false, "FTP/SFTP: read the password from stdin")
	f.StringVar(&in.KeyFile, "key", "", "SFTP: private key file (OpenSSH or PEM)")
	f.BoolVar(&phraseStdin, "key-passphrase-stdin", false, "SFTP: read the private key's passphrase from stdin")
	f.BoolVar(&in.AcceptHostKey, "accept-host-key", false, "SFTP: pin the server's current host key")
	f.StringVar(&in.Endpoint, "endpoint", "", "OSS: endpoint, e.g. oss-cn-hangzhou.aliyuncs.com")
	f.StringVar(&in.Region, "region", "", "OSS: region, e.g. cn-hangzhou (default: read from the endpoint)")
	f.StringVar(&in.AccessKeyID, "access-key-id", "", "OSS: access key id")
	f.BoolVar(&secretStdin, "secret-stdin", false, "OSS: read the access key secret from stdin")
	return c
}

func destinationsTest(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "test NAME|URL",
		Short: "Connect, write and remove a small probe file; say what failed",
		Args:  cobra.ExactArgs(1),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			if !destinations.IsURL(args[0]) {
				if _, err := ws.Dests.Get(cmd.Context(), args[0]); err != nil {
					return err
				}
			}
			desc, err := ws.Dests.Describe(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := ws.Dests.Test(cmd.Context(), args[0]); err != nil {
				return apperr.Wrap(err, apperr.CodeOf(err), "%s: %s", args[0], apperr.MessageOf(err))
			}
			fmt.Fprintf(env.Stdout, "ok: %s — wrote and removed a probe file at %s\n", args[0], desc)
			return nil
		}),
	}
}

func destinationsRemove(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Delete a saved destination and its stored secrets",
		Args:  cobra.ExactArgs(1),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			if err := ws.Dests.Remove(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "removed %s\n", args[0])
			return nil
		}),
	}
}

// readSecretLine reads the next line of stdin, without its line ending; an
// empty line is refused.
func readSecretLine(r *bufio.Reader, what string) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the %s from stdin: %w", what, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", apperr.New(apperr.Invalid, "no %s on stdin", what)
	}
	return line, nil
}
