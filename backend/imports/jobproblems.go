package imports

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// problemsSuffix names a job's problem log in the reports folder.
const problemsSuffix = "-problems.jsonl"

// maxOpenLogs bounds the problem logs kept indexed in memory; finished
// ones beyond it are dropped and reopened from disk when asked for.
const maxOpenLogs = 16

// jobLog is one job's problem log and the header of its files.
type jobLog struct {
	log    *ProblemLog
	header []string
	seq    int // when it was opened, to drop the oldest first
}

// openLog starts the problem log of job id (replacing one of an earlier
// run of it).
func (s *Service) openLog(id, path string, header []string) (*ProblemLog, error) {
	l, err := CreateProblemLog(path)
	if err != nil {
		return nil, err
	}
	s.keep(id, &jobLog{log: l, header: header})
	return l, nil
}

// keep registers a job's log, dropping the oldest beyond maxOpenLogs.
func (s *Service) keep(id string, jl *jobLog) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq := 0
	for _, o := range s.logs {
		seq = max(seq, o.seq+1)
	}
	jl.seq = seq
	s.logs[id] = jl
	for len(s.logs) > maxOpenLogs {
		oldest := ""
		for k, o := range s.logs {
			if oldest == "" || o.seq < s.logs[oldest].seq {
				oldest = k
			}
		}
		delete(s.logs, oldest) // a running job's log stays usable by its writer
	}
}

// Problems returns one page of the failing rows of job id — those whose
// problems include code and touch column ("" = any) — with the totals, the
// files' header and whether the job has finished (Done). A job of an
// earlier run of the app is read from its log on disk; a job that kept no
// log (run from the command line) gives code NotFound.
func (s *Service) Problems(ctx context.Context, id string, offset, limit int, code, column string) (ProblemPage, error) {
	j, err := s.jobs.Get(ctx, id)
	if err != nil {
		return ProblemPage{}, err
	}
	s.mu.Lock()
	jl := s.logs[id]
	s.mu.Unlock()
	if jl == nil {
		if jl, err = s.reopen(j.Job); err != nil {
			return ProblemPage{}, err
		}
	}
	page, err := jl.log.Page(offset, limit, code, column)
	if err != nil {
		return ProblemPage{}, err
	}
	page.Header = jl.header
	if page.Header == nil {
		page.Header = []string{}
	}
	page.Done = store.Terminal(j.Status)
	return page, nil
}

// reopen indexes the log of a job that is not open here.
func (s *Service) reopen(j store.Job) (*jobLog, error) {
	dir, err := s.reportsDir()
	if err != nil {
		return nil, err
	}
	l, err := OpenProblemLog(filepath.Join(dir, j.ID+problemsSuffix))
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.Wrap(err, apperr.NotFound, "job %s kept no list of problem rows: see its error report", j.ID)
	}
	if err != nil {
		return nil, err
	}
	jl := &jobLog{log: l}
	if _, req, _, err := s.load(context.Background(), j.ID); err == nil {
		if h, err := ReadHeader(req.Files[0], req.format(req.Files[0]), 0); err == nil {
			jl.header = h
		}
	}
	s.keep(j.ID, jl)
	return jl, nil
}
