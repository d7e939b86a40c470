; Inno Setup script for SkillsDesk on Windows. Build the onedir folder first (packaging/build.py,
; on Windows), then:  iscc /DAppVersion=0.1.0 packaging\windows\skillsdesk.iss
; Per-user install by default: school laptops rarely give staff administrator rights.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C1F8B1E-2D1B-4C55-9E0A-5B7A3E1D9F42}
AppName=SkillsDesk
AppVersion={#AppVersion}
AppPublisher=The SkillsDesk developers
DefaultDirName={autopf}\SkillsDesk
DefaultGroupName=SkillsDesk
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputBaseFilename=SkillsDesk-{#AppVersion}-setup
OutputDir=..\..\dist
SetupIconFile=..\..\resources\icons\skillsdesk.ico
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE

[Files]
; The whole onedir folder. The data folder (user's local app data) is never touched: uninstalling
; SkillsDesk must not delete a school's records.
Source: "..\..\dist\skillsdesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\SkillsDesk"; Filename: "{app}\skillsdesk.exe"
Name: "{autodesktop}\SkillsDesk"; Filename: "{app}\skillsdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Run]
Filename: "{app}\skillsdesk.exe"; Description: "{cm:LaunchProgram,SkillsDesk}"; Flags: nowait postinstall skipifsilent
