package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"batchdesk/backend/apperr"
)

// UploadResult is the answer to POST /api/upload.
type UploadResult struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
}

// upload streams the raw request body to a new folder below uploadDir, so a
// 100 MB file never passes through JSON, base64 or memory.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, apperr.New(apperr.Invalid, "use POST to upload"))
		return
	}
	name, err := SafeFileName(r.URL.Query().Get("name"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	max := int64(-1)
	if s.MaxUpload != nil {
		if max, err = s.MaxUpload(); err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
	}
	tooLarge := apperr.New(apperr.TooLarge, "%s is larger than the file size limit (%d MiB, the \"max file size\" setting)", name, max>>20)
	if max >= 0 && r.ContentLength > max {
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	body := io.Reader(r.Body)
	if max >= 0 {
		body = http.MaxBytesReader(w, r.Body, max)
	}
	dir, err := os.MkdirTemp(s.uploadDir, "up-")
	if err != nil {
		writeError(w, http.StatusInternalServerError, apperr.Wrap(err, apperr.Internal, "cannot create the upload folder"))
		return
	}
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		writeError(w, http.StatusInternalServerError, apperr.Wrap(err, apperr.Internal, "cannot save the upload"))
		return
	}
	n, err := io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		os.RemoveAll(dir)
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	if err != nil {
		os.RemoveAll(dir)
		writeError(w, http.StatusBadRequest, apperr.Wrap(err, apperr.Invalid, "upload of %s broke off after %d bytes", name, n))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(UploadResult{Path: path, Size: n})
}

// SafeFileName keeps the last path element of name and refuses names that
// could escape the upload folder or are not printable.
func SafeFileName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || name == "." || name == ".." || len(name) > 255 {
		return "", apperr.New(apperr.Invalid, "upload needs ?name=FILE with a plain file name")
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", apperr.New(apperr.Invalid, "the file name %q has unprintable characters", name)
		}
	}
	return name, nil
}

// download streams a job's error report as an attachment.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, apperr.New(apperr.Invalid, "use GET to download"))
		return
	}
	if s.Download == nil {
		writeError(w, http.StatusNotFound, apperr.New(apperr.NotFound, "nothing to download here"))
		return
	}
	name, rc, err := s.Download(r.URL.Query().Get("job"), r.URL.Query().Get("object"))
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, _ = io.Copy(w, rc)
}
