package app

import (
	"bufio"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWindowScreenshot starts the real Wails window of the built binary
// under Xvfb, waits until the page reports itself rendered (the UIReady
// call logs "ui ready"), takes a screenshot and checks it is not blank.
// make test passes the binary in BATCHDESK_WINDOW_BIN.
func TestWindowScreenshot(t *testing.T) {
	shootWindow(t, "window.png", "ui ready")
}

// TestWindowMappingStep opens the window as a file association would
// (`batchdesk FILE.csv`): the page guesses the object from the headers and
// shows the mapping step, which it reports with UIStep.
func TestWindowMappingStep(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "accounts.csv")
	data := "Account Name,Industry,Annual Revenue,Phone,Website,Billing City\n" +
		"Acme Corporation,Technology,1200000,(415) 555-0100,acme.example,San Francisco\n" +
		"Globex,Tech,n/a,555-0101,globex.example,Springfield\n"
	if err := os.WriteFile(csv, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	shootWindow(t, "window-mapping.png", "ui step mapping", csv)
}

// shootWindow runs the built binary with args under a private Xvfb, waits
// for a log line from the page, screenshots the screen into the test output
// and checks it rendered.
// TestWindowExportPage: the real window on the Export page (reached by a
// click on the navigation, as a user would), once the page has loaded.
func TestWindowExportPage(t *testing.T) {
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatal("xdotool not installed (make deps installs it)")
	}
	shootWindowAfter(t, "window-export.png", "ui ready", "ui step export", func(display string) error {
		// The window's own coordinates of the nav's "Export" item.
		// Wails makes a small hidden window too: take the visible one.
		out, err := exec.Command("xdotool", "search", "--sync", "--onlyvisible", "--name", "Batchdesk").Output()
		if err != nil {
			return err
		}
		ids := strings.Fields(string(out))
		wid := ids[len(ids)-1]
		if err := exec.Command("xdotool", "mousemove", "--window", wid, "70", "140", "click", "1").Run(); err != nil {
			return err
		}
		// Away from the nav, so its tooltip does not cover the page.
		return exec.Command("xdotool", "mousemove", "--window", wid, "1200", "850").Run()
	})
}

func shootWindow(t *testing.T, name, readyLine string, args ...string) {
	shootWindowAfter(t, name, readyLine, "", nil, args...)
}

// shootWindowAfter starts the window, waits for readyLine, runs act (when
// not nil) and waits for thenLine, then takes the screenshot.
func shootWindowAfter(t *testing.T, name, readyLine, thenLine string, act func(display string) error, args ...string) {
	bin := os.Getenv("BATCHDESK_WINDOW_BIN")
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("BATCHDESK_WINDOW_BIN is not set: run the tests through make test")
		}
		t.Skip("SKIPPING: set BATCHDESK_WINDOW_BIN to a built batchdesk (make test does)")
	}
	for _, tool := range []string{"Xvfb", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed (make deps installs xvfb and imagemagick)", tool)
		}
	}
	out := os.Getenv("BATCHDESK_TEST_OUT")
	if out == "" {
		out = t.TempDir()
	}
	shot := filepath.Join(out, name)
	display := startXvfb(t)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "BATCHDESK_HOME="+home,
		"BATCHDESK_SECRETS=file", "BATCHDESK_PASSPHRASE=window-test")
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	ready, then := make(chan struct{}), make(chan struct{})
	var (
		logMu sync.Mutex
		log   strings.Builder
	)
	go func() {
		sc := bufio.NewScanner(stderr)
		want, ch := readyLine, ready
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if ch != nil && strings.Contains(sc.Text(), want) {
				close(ch)
				want, ch = thenLine, nil
				if thenLine != "" && ch == nil {
					ch = then
				}
			}
		}
	}()
	wait := func(ch chan struct{}, line string) {
		select {
		case <-ch:
		case <-ctx.Done():
			logMu.Lock()
			defer logMu.Unlock()
			t.Fatalf("the window never logged %q; its output:\n%s", line, log.String())
		}
	}
	wait(ready, readyLine)
	if act != nil {
		t.Setenv("DISPLAY", display)
		if err := act(display); err != nil {
			t.Fatalf("acting on the window: %v", err)
		}
	}
	if thenLine != "" {
		wait(then, thenLine)
	}
	// The page said it rendered; give WebKit one frame to paint it.
	time.Sleep(500 * time.Millisecond)
	if b, err := exec.Command("import", "-display", display, "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v %s", err, b)
	}
	n := distinctColours(t, shot)
	t.Logf("window screenshot %s: %d distinct colours", shot, n)
	if n < 50 {
		t.Fatalf("screenshot has only %d colours: the page did not render", n)
	}
}

// startXvfb runs a private X server and returns its DISPLAY.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not report its display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

func distinctColours(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	seen := map[uint32]struct{}{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			seen[rgbKey(img, x, y)] = struct{}{}
		}
	}
	return len(seen)
}

func rgbKey(img image.Image, x, y int) uint32 {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r>>8)<<16 | (g>>8)<<8 | b>>8
}
