package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"batchdesk/backend/apperr"
	"batchdesk/backend/crm"
	"batchdesk/backend/imports"
	"batchdesk/backend/imports/mapping"
	"batchdesk/backend/imports/presets"
	"batchdesk/backend/store"
	"batchdesk/backend/workspace"
)

func init() { register(newPresetsCmd) }

func newPresetsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "presets list | show NAME | save NAME [import flags] [FILE] | rename OLD NEW | delete NAME | export NAME FILE.json | import FILE.json",
		Short: "Manage saved mappings (presets): list, show, save, rename, delete, export, import",
		Long: `A preset is a saved mapping for one object: mode, key, column→field pairs,
value maps and formats. "import --preset NAME" uses it; a file with the same
headers gets it suggested. Presets are shared as JSON files ("version": 1).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return apperr.New(apperr.Invalid, "presets: give a subcommand: list, show, save, rename, delete, export or import (see 'batchdesk presets --help')")
		},
	}
	cmd.AddCommand(newPresetsListCmd(env), newPresetsShowCmd(env), newPresetsSaveCmd(env),
		newPresetsRenameCmd(env), newPresetsDeleteCmd(env), newPresetsExportCmd(env), newPresetsImportCmd(env))
	return cmd
}

// nArgs checks a subcommand's argument count with a usage hint.
func nArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return apperr.New(apperr.Invalid, "%s %s: give %s (see 'batchdesk %s %s --help')",
				cmd.Parent().Name(), cmd.Name(), what, cmd.Parent().Name(), cmd.Name())
		}
		return nil
	}
}

func newPresetsListCmd(env *Env) *cobra.Command {
	var asJSON bool
	var object string
	cmd := &cobra.Command{
		Use:   "list [--object O] [--json]",
		Short: "List saved presets",
		Args:  nArgs(0, "no arguments"),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			ps, err := ws.Store.ListPresets(cmd.Context(), object)
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]map[string]any, 0, len(ps))
				for _, p := range ps {
					out = append(out, map[string]any{"name": p.Name, "object": p.Object,
						"createdAt": *rfc3339(p.CreatedAt), "updatedAt": *rfc3339(p.UpdatedAt)})
				}
				return writeJSON(env, out)
			}
			return printTable(env, len(ps), "No presets yet.", "NAME\tOBJECT\tUPDATED", func(w io.Writer, i int) {
				p := ps[i]
				fmt.Fprintf(w, "%s\t%s\t%s\n", p.Name, p.Object, p.UpdatedAt.Local().Format("2006-01-02 15:04"))
			})
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	cmd.Flags().StringVar(&object, "object", "", "only presets of this object")
	return cmd
}

func newPresetsShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Print a preset as its JSON file",
		Args:  nArgs(1, "the preset's name"),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			_, b, err := storedPresetFile(cmd.Context(), ws, args[0])
			if err != nil {
				return err
			}
			_, err = env.Stdout.Write(b)
			return err
		}),
	}
}

func newPresetsSaveCmd(env *Env) *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "save NAME [--object O] [--mode M] [--key K] [--map \"Header=field\" ...] [--crm C FILE]",
		Short: "Save a mapping as a preset (with FILE and --crm: auto-matched from the file's headers)",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return apperr.New(apperr.Invalid, "presets save: give the preset's name, and optionally a CSV file to match (see 'batchdesk presets save --help')")
			}
			return nil
		},
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			file := ""
			if len(args) == 2 {
				file = args[1]
			}
			p, err := buildPreset(cmd.Context(), ws, args[0], &f, file)
			if err != nil {
				return err
			}
			if _, err := ws.Store.SavePreset(cmd.Context(), p); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Saved preset %q for %s.\n", p.Name, p.Object)
			return nil
		}),
	}
	f.bind(cmd.Flags(), false)
	return cmd
}

func newPresetsRenameCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename a preset",
		Args:  nArgs(2, "the old and the new name"),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			if err := presets.Rename(cmd.Context(), ws.Store, args[0], args[1]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Renamed preset %q to %q.\n", args[0], args[1])
			return nil
		}),
	}
}

func newPresetsDeleteCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a preset",
		Args:  nArgs(1, "the preset's name"),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			if err := ws.Store.DeletePreset(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Deleted preset %q.\n", args[0])
			return nil
		}),
	}
}

func newPresetsExportCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "export NAME FILE.json",
		Short: "Write a preset to a JSON file to share it",
		Args:  nArgs(2, "the preset's name and the JSON file to write"),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			p, b, err := storedPresetFile(cmd.Context(), ws, args[0])
			if err != nil {
				return err
			}
			if err := os.WriteFile(args[1], b, 0o644); err != nil {
				return apperr.Wrap(err, apperr.Invalid, "cannot write %s: %v", args[1], err)
			}
			fmt.Fprintf(env.Stdout, "Exported preset %q to %s.\n", p.Name, args[1])
			return nil
		}),
	}
}

func newPresetsImportCmd(env *Env) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "import FILE.json [--name NAME]",
		Short: "Save the preset of a JSON file (replacing one with the same name)",
		Args:  nArgs(1, "the preset JSON file"),
		RunE: withWorkspace(env, func(cmd *cobra.Command, args []string, ws *workspace.Workspace) error {
			pr, err := presets.ReadFile(args[0])
			if err != nil {
				return err
			}
			if name != "" {
				pr.Name = name
			}
			if pr.Name == "" {
				pr.Name = strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))
			}
			p, err := presets.Save(cmd.Context(), ws.Store, pr, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Imported preset %q for %s.\n", p.Name, p.Object)
			return nil
		}),
	}
	cmd.Flags().StringVar(&name, "name", "", "save it under this name instead of the one in the file")
	return cmd
}

// storedPresetFile looks a preset up by name and renders it as its JSON file,
// as show prints it and export writes it.
func storedPresetFile(ctx context.Context, ws *workspace.Workspace, name string) (mapping.Preset, []byte, error) {
	p, err := presets.Get(ctx, ws.Store, name)
	if err != nil {
		return mapping.Preset{}, nil, err
	}
	b, err := presets.File(p)
	return p, b, err
}

// buildPreset makes a preset from the import flags: the object, mode, key
// and --map pairs; with a FILE its header signature (so the preset is
// suggested for files like it) and, when --crm is given, its headers
// auto-matched to the object's fields under the --map pairs.
func buildPreset(ctx context.Context, ws *workspace.Workspace, name string, f *importFlags, file string) (store.Preset, error) {
	if strings.TrimSpace(f.object) == "" {
		return store.Preset{}, apperr.New(apperr.Invalid, "presets save: add --object (the preset's target object)")
	}
	switch strings.ToLower(f.mode) {
	case "", "insert", "update", "upsert":
	default:
		return store.Preset{}, apperr.New(apperr.Invalid, "--mode must be insert, update or upsert, not %q", f.mode)
	}
	for _, m := range f.maps {
		if _, _, err := mapping.ParseMapFlag(m); err != nil {
			return store.Preset{}, err
		}
	}
	m := mapping.Mapping{Object: f.object, Mode: mapping.Mode(strings.ToLower(f.mode)), Key: f.key,
		Columns: map[string]mapping.Column{}}
	sig := ""
	if file != "" {
		format, err := imports.ParseFormat(f.encoding, f.delimiter)
		if err != nil {
			return store.Preset{}, err
		}
		header, err := imports.ReadHeader(file, format, f.maxFileMB)
		if err != nil {
			return store.Preset{}, err
		}
		sig = mapping.Signature(header)
		if f.crm != "" {
			spec, err := ws.Conns.Resolve(ctx, f.crm)
			if err != nil {
				return store.Preset{}, err
			}
			t, err := crm.Open(ctx, spec)
			if err != nil {
				return store.Preset{}, err
			}
			defer t.Close()
			obj, err := imports.FindObject(ctx, t, f.object)
			if err != nil {
				return store.Preset{}, err
			}
			m.Object = obj.APIName
			pm, err := imports.MapColumns(obj, header, f.maps, f.mode, f.key)
			if err != nil {
				return store.Preset{}, err
			}
			for h, c := range pm.Columns {
				m.Columns[h] = mapping.Column{Field: c.Field}
			}
		}
	}
	for _, s := range f.maps {
		h, fld, _ := mapping.ParseMapFlag(s)
		if fld == "" {
			delete(m.Columns, h)
			continue
		}
		m.Columns[h] = mapping.Column{Field: fld}
	}
	body, err := mapping.Encode(mapping.Preset{Name: name, Mapping: m})
	if err != nil {
		return store.Preset{}, fmt.Errorf("encode preset: %w", err)
	}
	return store.Preset{Name: name, Object: m.Object, HeaderSignature: sig, Body: body}, nil
}
