package destination

import (
	"context"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"batchdesk/backend/apperr"
)

// PartSuffix is added to a file's name while it is being written; the file is
// renamed to its final name only once it is complete and checked.
const PartSuffix = ".part"

// CleanName checks a name given to Put and returns it cleaned: relative,
// "/"-separated, no "." or ".." element, no empty element, no NUL or
// backslash, valid UTF-8. Errors have code Invalid.
func CleanName(name string) (string, error) {
	if name == "" {
		return "", apperr.New(apperr.Invalid, "a file to publish needs a name")
	}
	if !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\\") {
		return "", apperr.New(apperr.Invalid, "file name %q holds a character that is not allowed", Quote(name))
	}
	if strings.HasPrefix(name, "/") {
		return "", apperr.New(apperr.Invalid, "file name %q must be relative to the destination", Quote(name))
	}
	for _, el := range strings.Split(name, "/") {
		if el == "" || el == "." || el == ".." {
			return "", apperr.New(apperr.Invalid, "file name %q has an empty, \".\" or \"..\" part", Quote(name))
		}
	}
	return path.Clean(name), nil
}

// Quote shortens user data for a message: at most 100 characters.
func Quote(s string) string {
	const max = 100
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// ContextReader returns a reader that fails with ctx's error once ctx is
// done, so a copy loop stops on cancel even when r itself never blocks.
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	return &ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// CountingReader counts the bytes read through it and keeps the source's
// first failure, so a destination can tell it from its own.
type CountingReader struct {
	R   io.Reader
	N   int64
	Err error // the first error of R other than io.EOF
}

// Read reads from R, adds to N and records Err.
func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	if err != nil && err != io.EOF && c.Err == nil {
		c.Err = err
	}
	return n, err
}

// ProbeName is the name Test writes and removes.
const ProbeName = ".batchdesk-probe"
