package app

import (
	"os"
	"path/filepath"
	"strings"

	"batchdesk/backend/apperr"
)

// fileRoots are the folders the page may read files from in browser mode:
// the upload folder and the one the user named with `serve --root DIR`. A
// browser page names files by path, and anyone who can reach the server
// with the token could otherwise read any file of this user
// (InspectFile /etc/shadow). The window has no such limit: its paths come
// from the user's own dialogs and drops.
type fileRoots struct{ dirs []string }

// newFileRoots resolves dirs ("" skipped) to absolute paths without
// symbolic links; a folder that does not exist is an error.
func newFileRoots(dirs ...string) (*fileRoots, error) {
	r := &fileRoots{}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		real, err := realPath(d)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "the folder %s cannot be opened", d)
		}
		if st, err := os.Stat(real); err != nil || !st.IsDir() {
			return nil, apperr.New(apperr.Invalid, "%s is not a folder", d)
		}
		r.dirs = append(r.dirs, real)
	}
	return r, nil
}

// check refuses (code Forbidden) a path outside every root, after
// resolving ".." and symbolic links. A nil fileRoots allows every path.
func (r *fileRoots) check(path string) error {
	if r == nil {
		return nil
	}
	real, err := realPath(path)
	if err != nil {
		// A file that does not exist (yet) is judged by its cleaned path.
		if real, err = filepath.Abs(path); err != nil {
			return apperr.Wrap(err, apperr.Invalid, "bad path %q", path)
		}
	}
	for _, d := range r.dirs {
		if rel, err := filepath.Rel(d, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "in the browser, only uploaded files (or files in the folder given to `batchdesk serve --root`) can be opened, not %s", clip(path))
}

// checkRefs checks every file of refs.
func (r *fileRoots) checkRefs(refs []FileRef) error {
	for _, f := range refs {
		if err := r.check(f.Path); err != nil {
			return err
		}
	}
	return nil
}

// realPath is path made absolute with every symbolic link resolved.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// clip keeps at most 100 characters of user data for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}
