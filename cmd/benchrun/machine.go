package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// machine describes where the figures were taken, since they mean little without it.
func machine(dataDir string) []string {
	cpu := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	ram := "?"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		for _, line := range strings.Split(string(b), "\n") {
			if _, err := fmt.Sscanf(line, "MemTotal: %d kB", &kb); err == nil {
				ram = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
				break
			}
		}
	}
	return []string{
		fmt.Sprintf("CPU: %s, %d cores visible to Go", cpu, runtime.NumCPU()),
		"RAM: " + ram,
		"Disk (data directory): " + disk(dataDir),
		"Go: " + runtime.Version() + " (the toolchain that built this harness and, through make, the server)",
	}
}

// disk names the file system holding dir and whether its device is rotational.
func disk(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "?"
	}
	b, err := os.ReadFile("/proc/mounts")
	if err != nil {
		return "?"
	}
	var dev, mnt, fstype string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		if (abs == f[1] || strings.HasPrefix(abs, strings.TrimSuffix(f[1], "/")+"/")) && len(f[1]) >= len(mnt) {
			dev, mnt, fstype = f[0], f[1], f[2]
		}
	}
	kind := ""
	if name := filepath.Base(dev); name != "" {
		if r, err := os.ReadFile("/sys/block/" + name + "/queue/rotational"); err == nil {
			kind = map[string]string{"0": ", the kernel reports it non-rotational", "1": ", the kernel reports it rotational"}[strings.TrimSpace(string(r))]
		}
	}
	return fmt.Sprintf("%s (%s, mounted on %s%s)", dev, fstype, mnt, kind)
}

// rawCommits is B2: how many one-row transactions a bare SQLite connection commits per second
// on the same disk, in WAL mode with synchronous=FULL (every commit waits for fsync). It is the
// ceiling a durable vote path is compared with.
func rawCommits(ctx context.Context, dir string, d time.Duration) (float64, error) {
	path := filepath.Join(dir, "b2-raw-commits.db")
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		_ = os.Remove(f)
	}
	defer func() {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			_ = os.Remove(f)
		}
	}()
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"); err != nil {
		return 0, err
	}
	var n int
	began := time.Now()
	for time.Since(began) < d {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO t (v) VALUES (?)", n); err != nil {
			_ = tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(began).Seconds(), nil
}
