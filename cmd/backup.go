package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kaiku-app/kaiku/planner"
	"github.com/kaiku-app/kaiku/storage"
)

func cmdBackup(e *env, args []string) error {
	fs := newFlags("backup")
	out := fs.String("o", "", "the backup file to write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("error.backup_file", "-o FILE is required")
	}
	var buf bytes.Buffer
	if err := e.store.Backup(e.ctx, &buf, nil); err != nil {
		return err
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tr("cli.backup_done", "Backed up to {{.File}}.", map[string]any{"File": *out}))
	return nil
}

// cmdRestore loads a backup into the data folder, which must be new or
// empty; it never opens the folder as a store first.
func cmdRestore(e *env, args []string) error {
	fs := newFlags("restore")
	if err := fs.Parse(args); err != nil {
		return usageError{"kaiku restore: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("error.restore_file", "give the backup file: kaiku --data NEW-FOLDER restore FILE")
	}
	file := fs.Arg(0)
	f, err := os.Open(file)
	if err != nil {
		return userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": file, "Err": err})
	}
	defer f.Close()
	dir, err := dataDir(e.globals.data)
	if err != nil {
		return err
	}
	if err := storage.Restore(e.ctx, dir, f, storage.Options{Logger: e.log}, nil); err != nil {
		return restoreError(file, err)
	}
	fmt.Fprintln(e.stdout, tr("cli.restore_done", "Restored into {{.Dir}}.", map[string]any{"Dir": dir}))
	return nil
}

// restoreError says why the backup was not restored: the folder is not
// empty, the file is no backup or a damaged one, the disk is full.
func restoreError(file string, err error) error {
	if msg, known := planner.Explain(err, tr); known {
		return userError{msg: msg, cause: err}
	}
	return userErrorf(err, "error.restore", "cannot restore {{.File}}: {{.Err}}", map[string]any{"File": file, "Err": err})
}

func cmdExportJSON(e *env, args []string) error {
	fs := newFlags("export-json")
	out := fs.String("o", "-", "the file to write, or - for standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := e.store.ExportJSON(e.ctx, &buf); err != nil {
		return err
	}
	if *out == "-" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(*out, buf.Bytes())
}

func cmdImportJSON(e *env, args []string) error {
	fs := newFlags("import-json")
	if err := fs.Parse(args); err != nil {
		return usageError{"kaiku import-json: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("error.import_file", "give the file to import: kaiku import-json FILE")
	}
	file := fs.Arg(0)
	var r io.Reader = e.stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": file, "Err": err})
		}
		defer f.Close()
		r = f
	}
	sum, err := e.store.ImportJSON(e.ctx, r)
	var ie *storage.ImportError
	if errors.As(err, &ie) {
		problem := strings.TrimSuffix(ie.Explain(tr), ".")
		return userErrorf(err, "error.import", "cannot import {{.File}}: {{.Problem}}. Nothing was imported.", map[string]any{"File": file, "Problem": problem})
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tr("cli.import_done", "Imported {{.Posts}} posts, {{.Plans}} plans, {{.Goals}} goals.", map[string]any{"Posts": sum.Posts, "Plans": sum.Plans, "Goals": sum.Goals}))
	return nil
}
