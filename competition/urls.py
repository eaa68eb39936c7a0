app_name = "competition"

urlpatterns = []
