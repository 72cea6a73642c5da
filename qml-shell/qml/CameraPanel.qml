// SPDX-License-Identifier: LGPL-2.1-or-later
// The camera list: for each tile of the page shown, the camera it shows, to pick another from
// all of them. A pick swaps the two cameras' tiles (TileOrder), so none is lost; it is saved for
// the layout and comes back at the next start.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ValkkaKiosk

Rectangle {
    id: panel

    objectName: "cameraPanel"
    property CameraModel cameras
    property TileOrder tileOrder
    property int page: 0
    property int capacity: 4

    readonly property int firstSlot: page * capacity
    readonly property int slotCount: cameras ? Math.max(0, Math.min(capacity,
                                                                    cameras.count - firstSlot))
                                             : 0

    // Tile `slot` (over all pages) shows `camera`. The list's boxes and the tests come here.
    function pick(slot, camera) {
        tileOrder.assign(slot, camera)
    }

    visible: false
    width: 280
    color: "#e8181818"
    border.color: "#505050"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 10
        spacing: 6

        Text {
            color: "white"
            font.pixelSize: 15
            font.bold: true
            text: qsTr("Cameras on page %1").arg(panel.page + 1)
        }
        Text {
            visible: panel.tileOrder && panel.tileOrder.error !== ""
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: "#ff6060"
            font.pixelSize: 12
            text: panel.tileOrder ? panel.tileOrder.error : ""
        }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            model: panel.slotCount
            delegate: RowLayout {
                required property int index
                readonly property int slot: panel.firstSlot + index
                width: ListView.view.width
                Text {
                    Layout.preferredWidth: 56
                    color: "#d0d0d0"
                    font.pixelSize: 13
                    text: qsTr("Tile %1").arg(parent.index + 1)
                }
                ComboBox {
                    Layout.fillWidth: true
                    focusPolicy: Qt.NoFocus
                    model: panel.cameras
                    textRole: "name"
                    currentIndex: panel.tileOrder ? panel.tileOrder.order[parent.slot] : -1
                    onActivated: (camera) => panel.pick(parent.slot, camera)
                    ToolTip.visible: hovered
                    ToolTip.delay: 500
                    ToolTip.text: qsTr("The camera tile %1 shows").arg(parent.index + 1)
                }
            }
        }
    }
}
