// SPDX-License-Identifier: LGPL-2.1-or-later
// A transport bar button with its tooltip: what it does and its key, on hover.
import QtQuick
import QtQuick.Controls

Button {
    objectName: "transportButton"
    property string toolTipText
    focusPolicy: Qt.NoFocus
    ToolTip.visible: hovered && toolTipText !== ""
    ToolTip.delay: 500
    ToolTip.text: toolTipText
}
