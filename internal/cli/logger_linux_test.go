//go:build linux

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// ansi matches the console writer's colour codes.
var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// openPTY opens a pseudo-terminal: its controller side and the terminal
// a program would write to.
func openPTY(t *testing.T) (controller, terminal *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here (%v): the console writer cannot be checked", err)
	}
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, controller.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		t.Skipf("unlocking the pseudo-terminal: %v", errno)
	}
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, controller.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		t.Skipf("naming the pseudo-terminal: %v", errno)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { terminal.Close(); controller.Close() })
	return controller, terminal
}

// TestLogsForPeopleAndForMachines: on a terminal the log is zerolog's
// readable console lines; anywhere else (Toolforge's log collector) one
// JSON object a line.
func TestLogsForPeopleAndForMachines(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, "info")
	log.Info().Int("edits", 3).Msg("sync: summary")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["message"] != "sync: summary" || line["edits"] != 3.0 {
		t.Errorf("not a JSON line off a terminal: %q (%v)", buf.String(), err)
	}

	controller, terminal := openPTY(t)
	log = NewLogger(terminal, "info")
	log.Info().Int("edits", 3).Msg("sync: summary")
	got := make(chan string, 1)
	go func() {
		b := make([]byte, 4096)
		n, _ := controller.Read(b)
		got <- string(b[:n])
	}()
	select {
	case out := <-got:
		plain := ansi.ReplaceAllString(out, "")
		if strings.HasPrefix(strings.TrimSpace(plain), "{") || !strings.Contains(plain, "INF") || !strings.Contains(plain, "sync: summary") || !strings.Contains(plain, "edits=3") {
			t.Errorf("not a console line on a terminal: %q", out)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing written to the terminal")
	}
}
