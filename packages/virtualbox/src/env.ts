/** The only place the driver reads process.env: the search path and the OS, for locating VBoxManage. */
export const driverEnv = {
  path: process.env.PATH ?? '',
  vboxInstallPath: process.env.VBOX_MSI_INSTALL_PATH ?? process.env.VBOX_INSTALL_PATH ?? '',
  platform: process.platform,
};
