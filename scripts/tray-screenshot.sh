#!/bin/sh
# Takes docs/screenshots/tray-en.png (and tray-fi.png): the real Kaiku's tray
# menu under Xvfb, in an Xfce panel whose tray shows StatusNotifierItems as
# Fyne's tray publishes them. Needs Xvfb, xdotool, ImageMagick, dbus-launch and
# xfce4-panel (Debian: apt-get install xvfb xdotool imagemagick dbus-x11
# xfce4-panel).
set -eu
cd "$(dirname "$0")/.."

for tool in Xvfb xdotool import dbus-launch xfce4-panel; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "the tray screenshot needs Xvfb, xdotool, ImageMagick, dbus-launch and xfce4-panel (Debian: apt-get install xvfb xdotool imagemagick dbus-x11 xfce4-panel)" >&2
		exit 1
	fi
done

make build >/dev/null
out=docs/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
display=${TRAY_DISPLAY:-:96}
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
pids="$pids $!"
sleep 1
export DISPLAY=$display TZ=Europe/Helsinki XDG_CONFIG_HOME="$tmp/config"

# A panel along the top with only a tray, at the right end.
mkdir -p "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml"
cat >"$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="icon-size" type="uint" value="22"/>
      <property name="size" type="uint" value="30"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
        <value type="int" value="2"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="separator">
      <property name="expand" type="bool" value="true"/>
      <property name="style" type="uint" value="0"/>
    </property>
    <property name="plugin-2" type="string" value="systray">
      <property name="square-icons" type="bool" value="true"/>
    </property>
  </property>
</channel>
XML
eval "$(dbus-launch --sh-syntax)"
pids="$pids $DBUS_SESSION_BUS_PID"
xfce4-panel >"$tmp/panel.log" 2>&1 &
pids="$pids $!"
sleep 3

shoot() {
	lang=$1 text=$2
	data="$tmp/data-$lang"
	when=$(date -d "tomorrow 09:00" +%Y-%m-%dT09:00)
	./bin/kaiku --data "$data" post add --at "$when" --status scheduled --network x --text "$text" >/dev/null
	./bin/kaiku --data "$data" --lang "$lang" --background >"$tmp/kaiku-$lang.log" 2>&1 &
	app=$!
	# Until Kaiku's item has registered with the panel's watcher, and a
	# moment for the panel to draw it.
	tries=0
	until dbus-send --session --print-reply --dest=org.kde.StatusNotifierWatcher /StatusNotifierWatcher \
		org.freedesktop.DBus.Properties.Get string:org.kde.StatusNotifierWatcher string:RegisteredStatusNotifierItems 2>/dev/null |
		grep -q 'string "'; do
		tries=$((tries + 1))
		if [ "$tries" -gt 60 ]; then
			echo "Kaiku's tray item did not register; see $tmp/kaiku-$lang.log" >&2
			cat "$tmp/kaiku-$lang.log" >&2
			exit 1
		fi
		sleep 0.5
	done
	sleep 2
	# The tray icon is the panel's rightmost; its menu opens on a right click.
	xdotool mousemove 1266 15 click 3
	sleep 1.5
	import -window root -crop 420x190+860+0 +repage "$out/tray-$lang.png"
	xdotool key Escape
	kill "$app"
	wait "$app" 2>/dev/null || true
}

shoot en "Three things we learned about AI in libraries this autumn"
shoot fi "Kolme havaintoa tekoälystä kirjastoissa"
echo "tray screenshots in $out: tray-en.png tray-fi.png"
