package jobs

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"batchdesk/backend/apperr"
	"batchdesk/backend/store"
)

// TestConcurrentStartRunsOnce starts the same interrupted job from two
// registries over two connections to one store file, at the same moment,
// many times: exactly one runs it, the other is refused with Conflict.
func TestConcurrentStartRunsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "batchdesk.db")
	var sts [2]*store.Store
	for i := range sts {
		st, err := store.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		sts[i] = st
	}
	regs := [2]*Registry{New(sts[0], nil, Options{}), New(sts[1], nil, Options{})}
	ctx := context.Background()
	trials := 200
	if testing.Short() {
		trials = 20
	}
	for trial := 0; trial < trials; trial++ {
		j, err := sts[0].CreateJob(ctx, store.Job{Kind: store.JobImport, Status: store.StatusInterrupted})
		if err != nil {
			t.Fatal(err)
		}
		var runs atomic.Int32
		fn := func(ctx context.Context, report func(Progress)) (Outcome, error) {
			runs.Add(1)
			return Outcome{Total: 1, Succeeded: 1}, nil
		}
		var errs [2]error
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i := range regs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				errs[i] = regs[i].Start(ctx, j.ID, fn)
			}()
		}
		close(gate)
		wg.Wait()
		started := 0
		for i, err := range errs {
			switch {
			case err == nil:
				started++
				if _, werr := regs[i].Wait(ctx, j.ID); werr != nil {
					t.Fatal(werr)
				}
			case apperr.CodeOf(err) != apperr.Conflict:
				t.Fatalf("trial %d: refused with %v, want code conflict", trial, err)
			}
		}
		if started != 1 || runs.Load() != 1 {
			t.Fatalf("trial %d: %d starts, %d runs (errors %v), want 1 and 1", trial, started, runs.Load(), errs)
		}
	}
}

// claimHelperEnv names the store file and job for TestClaimHelper.
const claimHelperEnv = "BATCHDESK_CLAIM_HELPER"

// TestClaimHelper is one process of TestConcurrentResumeProcesses: it
// opens the store, says "ready", waits for a line on stdin, starts the
// job and prints "ran" or "refused CODE".
func TestClaimHelper(t *testing.T) {
	spec := os.Getenv(claimHelperEnv)
	if spec == "" {
		t.Skip("helper process only")
	}
	path, id, _ := strings.Cut(spec, "|")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := New(st, nil, Options{})
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = r.Start(ctx, id, func(ctx context.Context, report func(Progress)) (Outcome, error) {
		return Outcome{Total: 1, Succeeded: 1}, nil
	})
	if err != nil {
		fmt.Println("refused", apperr.CodeOf(err))
		return
	}
	if _, err := r.Wait(ctx, id); err != nil {
		t.Fatal(err)
	}
	fmt.Println("ran")
}

// TestConcurrentResumeProcesses is `jobs resume ID` twice at once, for
// real: two processes claim one job on one store file; one runs it and the
// other is refused, in every trial.
func TestConcurrentResumeProcesses(t *testing.T) {
	if os.Getenv(claimHelperEnv) != "" {
		t.Skip("in a helper process")
	}
	path := filepath.Join(t.TempDir(), "batchdesk.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	trials := 25
	if testing.Short() {
		trials = 5
	}
	for trial := 0; trial < trials; trial++ {
		j, err := st.CreateJob(ctx, store.Job{Kind: store.JobImport, Status: store.StatusInterrupted})
		if err != nil {
			t.Fatal(err)
		}
		outs := runClaimHelpers(t, path, j.ID)
		ran, refused := 0, 0
		for _, o := range outs {
			switch {
			case o == "ran":
				ran++
			case o == "refused "+apperr.Conflict:
				refused++
			default:
				t.Fatalf("trial %d: helper said %q", trial, o)
			}
		}
		if ran != 1 || refused != 1 {
			t.Fatalf("trial %d: %v, want one ran and one refused", trial, outs)
		}
	}
}

// runClaimHelpers starts two TestClaimHelper processes, lets both claim
// once both are ready, and returns their last lines.
func runClaimHelpers(t *testing.T, path, id string) []string {
	t.Helper()
	type helper struct {
		cmd *exec.Cmd
		in  *os.File
		out *bufio.Reader
	}
	hs := make([]helper, 2)
	for i := range hs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestClaimHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), claimHelperEnv+"="+path+"|"+id)
		inR, inW, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdin = inR
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		inR.Close()
		hs[i] = helper{cmd: cmd, in: inW, out: bufio.NewReader(stdout)}
	}
	for _, h := range hs {
		if line, err := h.out.ReadString('\n'); err != nil || strings.TrimSpace(line) != "ready" {
			t.Fatalf("helper: %q, %v", line, err)
		}
	}
	for _, h := range hs {
		fmt.Fprintln(h.in, "go")
		h.in.Close()
	}
	outs := make([]string, len(hs))
	for i, h := range hs {
		line, _ := h.out.ReadString('\n')
		outs[i] = strings.TrimSpace(line)
		_ = h.cmd.Wait()
	}
	return outs
}
