// Package loadtest drives a real groundswell process from outside, the way the benchmark table
// (cmd/benchrun) and the soak runs (cmd/soak) need it: start and stop the binary, act as many
// anonymous participants at once, and check afterwards that the database holds exactly the
// votes the server acknowledged. It measures whatever the binary does; nothing in it reaches
// into the server's code.
package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is a `groundswell serve` process started for a run.
type Server struct {
	Addr string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	log  *os.File
}

// FreeAddr returns a loopback address with a port nobody listens on right now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// StartServer runs bin serve with args (which should not hold --addr) on a free loopback port,
// its output appended to logPath, and waits until /healthz answers.
func StartServer(ctx context.Context, bin, logPath string, args ...string) (*Server, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &Server{Addr: addr, cmd: cmd, done: make(chan struct{}), log: log}
	go func() { s.err = cmd.Wait(); log.Close(); close(s.done) }()
	if err := s.waitHealthy(ctx, 60*time.Second); err != nil {
		s.Kill()
		return nil, fmt.Errorf("%w (server log: %s)", err, logPath)
	}
	return s, nil
}

// URL is the server's base address.
func (s *Server) URL() string { return "http://" + s.Addr }

// PID is the process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

func (s *Server) waitHealthy(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("the server exited before it answered /healthz: %v", s.err)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := client.Get(s.URL() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the server did not answer /healthz within %s", limit)
}

// Kill sends SIGKILL and waits for the process to go.
func (s *Server) Kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// Terminate sends SIGTERM and waits up to limit for the process to exit, returning its exit
// error (nil for status 0). Past the limit it kills the process and says so.
func (s *Server) Terminate(limit time.Duration) error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-s.done:
		return s.err
	case <-time.After(limit):
		s.Kill()
		return fmt.Errorf("the server was still running %s after SIGTERM and was killed", limit)
	}
}

// Exited says whether the process has ended.
func (s *Server) Exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// PeakRSS is the process's peak resident set (VmHWM), in bytes.
func (s *Server) PeakRSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.PID()))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM line in /proc/PID/status")
}

// Run runs bin with args to completion, returning its combined output.
func Run(ctx context.Context, bin string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", bin, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}
