package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// envBeMain makes the test binary run main itself, so that tests can start the program as a real
// process, with its own signal handling and exit status, without building it separately.
const envBeMain = "GROUNDSWELL_TEST_BE_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envBeMain) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// process is the program running as a child process.
type process struct {
	cmd    *exec.Cmd
	stdout *lockedBuffer
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	err    error
}

// program returns a command that runs the program with args. With asNobody, it runs as the user
// nobody: tests run as root still meet permissions that way, which root itself ignores.
func program(t *testing.T, asNobody bool, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), envBeMain+"=1")
	if asNobody {
		// The test binary sits in a directory only its owner may enter: copy it out.
		binDir, err := os.MkdirTemp("", "groundswell-bin-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(binDir) })
		bin := filepath.Join(binDir, "groundswell.test")
		if err := copyFile(self, bin, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(binDir, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd.Path, cmd.Args[0] = bin, bin
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	return cmd
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// start runs cmd in the background, collecting its output.
func start(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{cmd: cmd, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait returns the exit status, or fails when the process has not exited within d.
func (p *process) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("the process did not exit within %s: %q %q", d, p.stdout.String(), p.stderr.String())
		return -1
	}
}

// exited reports whether the process has exited.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// address waits for serve to say where it listens.
func (p *process) address(t *testing.T) string {
	t.Helper()
	re := regexp.MustCompile(`serving on http://(127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(p.stdout.String()); m != nil {
			return m[1]
		}
		if p.exited() {
			break
		}
	}
	t.Fatalf("serve did not start: %q %q", p.stdout.String(), p.stderr.String())
	return ""
}

// slowRequest sends the head of a form post and part of its body, as a slow client would, and
// returns the connection and the rest of the body. The server is then busy reading the form.
func slowRequest(t *testing.T, addr string) (net.Conn, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	body := "code=ABCD-EFGH&_csrf=not-a-token"
	head := "POST /join HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := io.WriteString(conn, head+body[:5]); err != nil {
		t.Fatal(err)
	}
	return conn, body[5:]
}

// TestShutdownWaitsForASlowRequest holds a request open, sends SIGTERM, and finishes the request
// within the grace period: the request must get its answer and the process exit with status 0.
func TestShutdownWaitsForASlowRequest(t *testing.T) {
	p := start(t, program(t, false, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--shutdown-grace", "20s"))
	addr := p.address(t)
	conn, rest := slowRequest(t, addr)
	time.Sleep(200 * time.Millisecond) // let the server start reading the request
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if p.exited() {
		t.Fatalf("the process exited with a request in flight: %q %q", p.stdout.String(), p.stderr.String())
	}
	if _, err := io.WriteString(conn, rest); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 ") {
		t.Errorf("the slow request got %q, %v; want an answer", status, err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Errorf("exit status %d after a clean drain, want 0: %q", code, p.stderr.String())
	}
	if !strings.Contains(p.stdout.String(), "Stopped.") {
		t.Errorf("output %q, want it to end with Stopped.", p.stdout.String())
	}
}

// TestShutdownGraceRunsOut holds a request open past a short grace period: the process must stop
// then, not at the old fixed 15 seconds, and say that a request was cut off.
func TestShutdownGraceRunsOut(t *testing.T) {
	p := start(t, program(t, false, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--shutdown-grace", "1s"))
	slowRequest(t, p.address(t))
	time.Sleep(200 * time.Millisecond)
	began := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code := p.wait(t, 10*time.Second)
	if took := time.Since(began); took < 900*time.Millisecond || took > 5*time.Second {
		t.Errorf("stopped %s after the signal, want about the 1s grace period", took)
	}
	if code != 1 || !strings.Contains(p.stderr.String(), "cut off") {
		t.Errorf("exit %d, %q; want 1, saying requests were cut off", code, p.stderr.String())
	}
}

// TestSecondSignalStopsAtOnce: with a request holding the drain open for a long grace period, a
// second signal (SIGTERM, or SIGINT from a terminal) must end the process at once.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	for _, second := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(second.String(), func(t *testing.T) {
			p := start(t, program(t, false, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--shutdown-grace", "1m"))
			slowRequest(t, p.address(t))
			time.Sleep(200 * time.Millisecond)
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			if p.exited() {
				t.Fatal("the first signal did not wait for the request in flight")
			}
			began := time.Now()
			if err := p.cmd.Process.Signal(second); err != nil {
				t.Fatal(err)
			}
			p.wait(t, 3*time.Second)
			if took := time.Since(began); took > 2*time.Second {
				t.Errorf("took %s after the second signal, want at once", took)
			}
			if !strings.Contains(p.stderr.String(), "second signal") {
				t.Errorf("stderr %q does not say why it stopped", p.stderr.String())
			}
		})
	}
}

// TestStartUpNamesAReadOnlyDataDirectory starts serve on a data directory it may not write:
// empty, and holding a database. The error must name the directory and the real cause, where
// SQLite alone would say "no such file or directory".
func TestStartUpNamesAReadOnlyDataDirectory(t *testing.T) {
	root := os.Geteuid() == 0
	base := t.TempDir()
	empty := filepath.Join(base, "empty")
	seeded := filepath.Join(base, "seeded")
	if err := os.Mkdir(empty, 0o555); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "seed", "demo", "--data", seeded); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	if root { // the program runs as nobody: the files are theirs, the directories not
		for _, dir := range []string{base, filepath.Dir(base)} {
			if err := os.Chmod(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		entries, _ := os.ReadDir(seeded)
		for _, e := range entries {
			if err := os.Chown(filepath.Join(seeded, e.Name()), 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Chmod(seeded, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(seeded, 0o755); os.Chmod(empty, 0o755) })
	for _, c := range []struct{ dir, says string }{
		{empty, filepath.Join(empty, "groundswell.db") + ": permission denied"},
		{seeded, "the directory cannot be written: open " + seeded},
	} {
		p := start(t, program(t, root, "serve", "--addr", "127.0.0.1:0", "--data", c.dir))
		code := p.wait(t, 30*time.Second)
		stderr := p.stderr.String()
		if code != 1 || !strings.Contains(stderr, c.says) {
			t.Errorf("serve --data %s: exit %d, %q; want 1, saying %q", c.dir, code, stderr, c.says)
		}
	}
}
